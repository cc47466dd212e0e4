# FastTrack with a flowtable, inside the test VM (tests/vm/run.sh): a
# client / router / server topology; the router runs rosh with a
# fasttrack-connection rule first; a TCP stream from the client must be
# offloaded to the flowtable (conntrack [OFFLOAD], rosh's F flag) while the
# counters of the later rules stop; disable sends every packet through the
# rules again, enable brings the offload back. Prints TAP. busybox sh.

# busybox sh runs its own applets before PATH: the real ip by its path
ip() { /usr/sbin/ip "$@"; }
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() { # check DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@" >/tmp/out 2>&1; then ok "$d"; else notok "$d"; sed 's/^/# /' /tmp/out; fi
}
R() { ip netns exec router "$@"; }
rosh_r() { R rosh -c "$1"; }
offloaded() { R conntrack -L -p tcp --dport 5001 2>/dev/null | grep -q OFFLOAD; }
wait_for() { # wait_for SECONDS COMMAND...: until it succeeds
	t=$(($1 * 5))
	shift
	while [ $t -gt 0 ]; do
		"$@" && return 0
		usleep 200000
		t=$((t - 1))
	done
	return 1
}
# packets of the rule `print stats where $1` shows (numbers shift: the
# fasttrack dummy rule is there only while fasttrack is on)
pk() {
	rosh_r "/ip firewall filter print stats where $1" |
		awk '$1 ~ /^[0-9]+$/ { print $NF; exit }'
}
FT=action=fasttrack-connection EST=comment=est
rx() { wc -c </tmp/rx; }

echo "1..12"

for ns in client router server; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add lan netns router type veth peer name eth0 netns client
ip link add wan netns router type veth peer name eth0 netns server
ip -n client addr add 10.1.0.2/24 dev eth0
ip -n router addr add 10.1.0.1/24 dev lan
ip -n router addr add 10.2.0.1/24 dev wan
ip -n server addr add 10.2.0.2/24 dev eth0
for l in client:eth0 router:lan router:wan server:eth0; do ip -n ${l%:*} link set ${l#*:} up; done
ip -n client route add default via 10.1.0.1
R sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'

check "rosh applies a fasttrack ruleset" rosh_r '/interface list
add name=LAN
add name=WAN
/interface list member
add list=LAN interface=lan
add list=WAN interface=wan
/ip firewall filter
add chain=forward action=fasttrack-connection connection-state=established,related
add chain=forward action=accept connection-state=established,related comment=est
add chain=forward action=accept connection-state=new in-interface-list=LAN out-interface-list=WAN
add chain=forward action=drop
/ip firewall nat
add chain=srcnat action=masquerade out-interface-list=WAN'
R nft list ruleset >/tmp/rs
check "the fast path rule offloads into flowtable ft over lan and wan" \
	sh -c 'grep -q "flowtable ft" /tmp/rs && grep -q "devices = { lan, wan }" /tmp/rs &&
	       grep -q "ct label 127 counter packets [0-9]* bytes [0-9]* flow add @ft accept" /tmp/rs ||
	       { cat /tmp/rs; false; }'

ip netns exec server socat -u TCP-LISTEN:5001,reuseaddr,fork OPEN:/tmp/rx,creat,append &
usleep 500000
ip netns exec client sh -c 'while :; do head -c 1000 /dev/zero; usleep 50000; done |
	socat -u - TCP:10.2.0.2:5001' &

check "the stream is offloaded (conntrack [OFFLOAD])" wait_for 20 offloaded
check "rosh shows the connection with the F flag" sh -c \
	"/usr/sbin/ip netns exec router rosh -c '/ip firewall connection print where protocol=tcp' |
	 grep -E '^ *[0-9]+ +[A-Za-z]*F[A-Za-z]* +tcp +10\.1\.0\.2:[0-9]+ +10\.2\.0\.2:5001'"

usleep 500000
a0=$(pk dynamic=yes) a1=$(pk $FT) a2=$(pk $EST) b=$(rx)
sleep 3
c0=$(pk dynamic=yes) c1=$(pk $FT) c2=$(pk $EST) d=$(rx)
check "offloaded packets skip every rule (counters $a0 $a1 $a2 -> $c0 $c1 $c2, $b -> $d bytes received)" \
	test "$a0 $a1 $a2" = "$c0 $c1 $c2" -a "$d" -gt $((b + 10000))

check "disable [find action=fasttrack-connection]" \
	rosh_r '/ip firewall filter disable [find action=fasttrack-connection]'
R nft list ruleset >/tmp/rs
check "the flowtable is gone with the offload" sh -c \
	'! grep -q "flowtable\|flow add" /tmp/rs && ! /usr/sbin/ip netns exec router conntrack -L -p tcp --dport 5001 2>/dev/null | grep -q OFFLOAD'
a2=$(pk $EST) b=$(rx)
sleep 2
c2=$(pk $EST) d=$(rx)
check "every packet goes through the rules again (accept established $a2 -> $c2)" \
	test "$c2" -gt $((a2 + 10)) -a "$d" -gt "$b"

check "enable [find action=fasttrack-connection]" \
	rosh_r '/ip firewall filter enable [find action=fasttrack-connection]'
check "the labelled connection is offloaded again" wait_for 20 offloaded
usleep 500000
a2=$(pk $EST) b=$(rx)
sleep 2
c2=$(pk $EST) d=$(rx)
check "and skips the rules again (accept established $a2 -> $c2)" \
	test "$a2" = "$c2" -a "$d" -gt "$b"

R ip link add new0 type veth peer name new1
check "a later command hooks the interfaces that appeared since" sh -c \
	"/usr/sbin/ip netns exec router rosh -c '/ip firewall address-list add list=x address=192.0.2.1' &&
	 /usr/sbin/ip netns exec router nft list flowtable ip rosh ft | grep -q 'devices = { lan, new0, new1, wan }'"
