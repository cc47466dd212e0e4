#!/usr/bin/env python3
"""Generate a RouterOS-style firewall ruleset for the nft benchmark, as a
RouterOS script (.rsc) or as the equivalent nft file.

usage: gen.py N [mixed|chain] [rsc|nft] > FILE

mixed (default): N rules in /ip firewall filter and nat: the usual head
  (established/related/untracked accept, invalid drop), user chains reached
  by jump (one per 100 rules), connection-state, interface lists, address
  lists, port lists and ranges, reject, log, return, some disabled rules and
  a comment on most; about 1% of the rules are NAT. Before the rules: 4
  interface lists with members and N/10 address-list entries (hosts,
  prefixes, ranges) in 8 lists.
chain: N rules, all in chain forward (the `enable` benchmark), each with a
  distinct comment "r<i>"; the 4 interface lists and one entry per address
  list before them.

nft: the same ruleset written as one would write it for nft by hand, one
  nft rule per RouterOS rule, each with a counter (RouterOS rules all
  count): interface lists become ifname sets, address lists interval sets,
  port lists anonymous sets; a disabled rule is kept with `ip version 6` in
  front (never true), as rosh keeps it. It is not rosh's own encoding (that
  one is not loadable by nft: `nft list` prints rosh's map lookups as
  "[invalid type]").

The output is deterministic: the same N gives the same file.
"""
import sys

IFLISTS = ["LAN", "WAN", "DMZ", "MGMT"]
MEMBERS = [("LAN", "bridge"), ("WAN", "ether1"), ("DMZ", "ether2"),
           ("DMZ", "ether3"), ("MGMT", "ether4")]
ALISTS = ["blocklist", "trusted", "servers", "voip", "bogons",
          "scanners", "partners", "monitoring"]


def q(v):
    return f'"{v}"' if (" " in v or ":" in v or not v) else v


# ---- the ruleset as data -------------------------------------------------

def address_entries(n):
    """(list, address as RouterOS writes it, comment or None)"""
    out = []
    for i in range(n):
        a, b = (i // 250) % 250 + 1, i % 250 + 1
        kind = i % 5
        if kind == 3:
            addr = f"172.{16 + a % 16}.{b}.0/24"
        elif kind == 4:
            addr = f"100.{a}.{b}.10-100.{a}.{b}.20"
        else:
            addr = f"198.{a % 20}.{b}.{(i * 7) % 250 + 1}"
        out.append((ALISTS[i % len(ALISTS)], addr,
                    f"entry {i}" if i % 3 == 0 else None))
    return out


# Shapes of user chain rules (property, value) pairs; {i} rule number.
SHAPES = [
    "action=accept protocol=tcp dst-port=22,80,443 src-address-list=trusted "
    "comment=ssh/web_from_trusted_{i}",
    "action=drop src-address=10.{a}.{b}.0/24 in-interface-list=WAN "
    "comment=drop_net_{i}",
    "action=accept protocol=udp dst-port=5000-5100 "
    "dst-address=192.168.{a}.{b} connection-state=new comment=voip_{i}",
    "action=reject reject-with=icmp-port-unreachable protocol=tcp "
    "dst-port={p} connection-state=new in-interface-list=!LAN",
    "action=drop src-address-list=blocklist dst-address-list=servers "
    "comment=blocked_{i}",
    "action=accept protocol=tcp src-port=1024-65535 dst-port={p},{q} "
    "out-interface-list=DMZ comment=dmz_{i}",
    "action=log log-prefix=c{i} protocol=icmp in-interface=ether{e}",
    "action=accept connection-state=established,related "
    "dst-address=10.{a}.{b}.1 disabled=yes comment=disabled_{i}",
    "action=drop protocol=tcp dst-port={p} src-address=!10.0.0.0/8 "
    "src-address-list=scanners",
    "action=accept in-interface-list=MGMT protocol=tcp dst-port=8291 "
    "comment=winbox_{i}",
]


def parse(text):
    """'k=v k=v' (underscores in values are spaces) -> list of pairs"""
    return [(k, v.replace("_", " ")) for k, v in
            (w.split("=", 1) for w in text.split())]


def shape(i):
    return parse(SHAPES[i % len(SHAPES)].format(
        i=i, a=(i // 250) % 250, b=i % 250, p=1000 + i % 60000,
        q=2000 + i % 60000, e=i % 8))


def filter_rules(n):
    """(menu, chain, pairs) in RouterOS order"""
    R = []
    est = "connection-state=established,related,untracked"
    for c, t in (("input", f"action=accept {est} comment=defconf:_accept_established"),
                 ("input", "action=drop connection-state=invalid comment=defconf:_drop_invalid"),
                 ("forward", f"action=accept {est} comment=defconf:_accept_established"),
                 ("forward", "action=drop connection-state=invalid comment=defconf:_drop_invalid"),
                 ("output", "action=accept")):
        R.append(("filter", c, parse(t)))
    nchains = max(1, n // 100)
    body = max(nchains, n - 5 - 2 * nchains - 2)
    for c in range(nchains):
        hook = "forward" if c % 2 == 0 else "input"
        R.append(("filter", hook, parse(
            f"action=jump jump-target=uc{c} "
            f"in-interface-list={IFLISTS[c % 4]} dst-address=10.{c % 250}.0.0/16 "
            f"comment=to_uc{c}")))
    i = 0
    for c in range(nchains):
        for _ in range(body // nchains + (c < body % nchains)):
            R.append(("filter", f"uc{c}", shape(i)))
            i += 1
        R.append(("filter", f"uc{c}", parse("action=return")))
    R.append(("filter", "input", parse(
        "action=drop in-interface-list=!LAN "
        "comment=defconf:_drop_all_not_coming_from_LAN")))
    R.append(("filter", "forward", parse(
        "action=drop connection-state=new connection-nat-state=!dstnat "
        "in-interface-list=WAN comment=defconf:_drop_all_from_WAN_not_DSTNATed")))
    return R


def nat_rules(n):
    R = [("nat", "srcnat", parse(
        "action=masquerade out-interface-list=WAN comment=defconf:_masquerade"))]
    for i in range(max(1, n // 100)):
        R.append(("nat", "dstnat", parse(
            f"action=dst-nat protocol=tcp dst-port={10000 + i} "
            f"in-interface-list=WAN to-addresses=192.168.88.{i % 250 + 2} "
            f"to-ports=80 comment=forward_{i}")))
    return R


def chain_rules(n):
    R = []
    for i in range(n):
        p = [kv for kv in shape(i) if kv[0] not in ("comment", "disabled")]
        R.append(("filter", "forward", p + [("comment", f"r{i}")]))
    return R


# ---- .rsc ------------------------------------------------------------------

def rsc(rules, alist, iflists):
    out = []
    if iflists:
        out.append("/interface list")
        out += [f"add name={n}" for n in IFLISTS]
        out.append("/interface list member")
        out += [f"add list={l} interface={i}" for l, i in MEMBERS]
    if alist:
        out.append("/ip firewall address-list")
        for l, a, c in alist:
            out.append(f"add list={l} address={a}" +
                       (f" comment={q(c)}" if c else ""))
    menu = None
    for m, chain, pairs in rules:
        if m != menu:
            out.append(f"/ip firewall {m}")
            menu = m
        out.append(f"add chain={chain} " +
                   " ".join(f"{k}={q(v)}" for k, v in pairs))
    return out


# ---- nft -------------------------------------------------------------------

def neg(v):
    return ("!= ", v[1:]) if v.startswith("!") else ("", v)


def ports(v):
    return "{ " + ", ".join(v.split(",")) + " }" if "," in v else v


def states(v):
    return "{ " + ", ".join(v.split(",")) + " }" if "," in v else v


def nft_rule(pairs):
    d = dict(pairs)
    m = []
    if d.get("disabled") == "yes":
        m.append("ip version 6")
    proto = d.get("protocol")
    if proto:
        m.append(f"meta l4proto {proto}")
    for k, e in (("src-address", "ip saddr"), ("dst-address", "ip daddr")):
        if k in d:
            n, v = neg(d[k])
            m.append(f"{e} {n}{v}")
    for k, e in (("src-address-list", "ip saddr"),
                 ("dst-address-list", "ip daddr")):
        if k in d:
            n, v = neg(d[k])
            m.append(f"{e} {n}@al_{v}")
    for k, e in (("src-port", "sport"), ("dst-port", "dport")):
        if k in d:
            m.append(f"{proto} {e} {ports(d[k])}")
    for k, e in (("in-interface-list", "iifname"),
                 ("out-interface-list", "oifname")):
        if k in d:
            n, v = neg(d[k])
            m.append(f"{e} {n}@ifl_{v}")
    if "in-interface" in d:
        m.append(f'iifname "{d["in-interface"]}"')
    if "connection-state" in d:
        m.append(f"ct state {states(d['connection-state'])}")
    if d.get("connection-nat-state") == "!dstnat":
        m.append("ct status & dnat == 0")
    m.append("counter")
    a = d["action"]
    if a == "jump":
        m.append(f"jump filter_{d['jump-target']}")
    elif a == "reject":
        m.append("reject with icmp type port-unreachable")
    elif a == "log":
        m.append(f'log prefix "{d["log-prefix"]}"')
    elif a == "dst-nat":
        m.append(f"dnat to {d['to-addresses']}:{d['to-ports']}")
    else:
        m.append(a)
    if "comment" in d:
        m.append(f'comment "{d["comment"]}"')
    return " ".join(m)


HOOKS = {  # nft chain of a RouterOS built-in chain: (type, hook, priority)
    ("filter", "input"): ("filter", "input", 0),
    ("filter", "forward"): ("filter", "forward", 0),
    ("filter", "output"): ("filter", "output", 0),
    ("nat", "dstnat"): ("nat", "prerouting", -100),
    ("nat", "srcnat"): ("nat", "postrouting", 100),
}


def nft(rules, alist, iflists):
    out = ["table ip rosh {"]
    if iflists:
        for n in IFLISTS:
            el = ", ".join(f'"{i}"' for l, i in MEMBERS if l == n)
            out.append(f"\tset ifl_{n} {{\n\t\ttype ifname\n"
                       f"\t\telements = {{ {el} }}\n\t}}")
    if alist:
        for n in ALISTS:
            el = [a + (f' comment "{c}"' if c else "")
                  for l, a, c in alist if l == n]
            out.append(f"\tset al_{n} {{\n\t\ttype ipv4_addr\n"
                       f"\t\tflags interval\n\t\telements = {{ "
                       + ",\n\t\t\t".join(el) + " }\n\t}")
    chains = {}
    for m, c, pairs in rules:
        chains.setdefault((m, c), []).append(nft_rule(pairs))
    for (m, c), body in chains.items():
        out.append(f"\tchain {m}_{c} {{")
        if (m, c) in HOOKS:
            t, h, p = HOOKS[(m, c)]
            out.append(f"\t\ttype {t} hook {h} priority {p}; policy accept;")
        out += [f"\t\t{r}" for r in body]
        out.append("\t}")
    out.append("}")
    return out


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    mode = sys.argv[2] if len(sys.argv) > 2 else "mixed"
    fmt = sys.argv[3] if len(sys.argv) > 3 else "rsc"
    if mode == "chain":
        rules, alist, ifl = chain_rules(n), address_entries(8), True
    else:
        nnat = max(2, n // 100 + 1)
        rules = filter_rules(n - nnat) + nat_rules(n)
        alist, ifl = address_entries(max(8, n // 10)), True
    print("\n".join((nft if fmt == "nft" else rsc)(rules, alist, ifl)))


main()
