package web

import (
	"errors"
	"net"
	"net/netip"
	"syscall"
)

// addressPolicy decides which IP addresses the resolver may connect to. It is applied in
// net.Dialer.Control, to the address actually being dialled, so a DNS answer that changes
// between checks (DNS rebinding) cannot lead the resolver into the internal network.
type addressPolicy struct {
	// allowLoopback is set only for DIDs whose host is localhost or 127.0.0.1 when
	// Config.InsecureLocalhost is on.
	allowLoopback bool
}

// refusedPrefixes are special-purpose ranges (RFC 6890 and successors) that net/netip has
// no predicate for but that must not be reachable from a DID either.
var refusedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // shared address space (carrier-grade NAT)
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, including broadcast
	netip.MustParsePrefix("::/96"),          // IPv4-compatible (deprecated)
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64: could reach private IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2002::/16"),      // 6to4: embeds any IPv4 address
	netip.MustParsePrefix("100::/64"),       // discard-only
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
	netip.MustParsePrefix("ff00::/8"),       // multicast (also caught by IsMulticast)
	netip.MustParsePrefix("169.254.0.0/16"), // link-local, cloud metadata (also IsLinkLocalUnicast)
	netip.MustParsePrefix("fc00::/7"),       // unique local (also IsPrivate)
	netip.MustParsePrefix("255.255.255.255/32"),
}

// allows reports whether the resolver may connect to ip.
func (p addressPolicy) allows(ip netip.Addr) bool {
	ip = ip.Unmap() // ::ffff:10.0.0.1 is 10.0.0.1
	if ip.IsLoopback() {
		return p.allowLoopback
	}
	if !ip.IsValid() || ip.IsUnspecified() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	for _, prefix := range refusedPrefixes {
		if prefix.Contains(ip) {
			return false
		}
	}
	return true
}

// control is a net.Dialer.Control function: it runs after name resolution and before the
// connect system call, so a refused address never receives a packet.
func (p addressPolicy) control(network, address string, _ syscall.RawConn) error {
	if network != "tcp4" && network != "tcp6" {
		return errRefusedAddress
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return errRefusedAddress
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !p.allows(ip) {
		return errRefusedAddress
	}
	return nil
}

// errRefusedAddress does not name the address: it may be an internal DNS answer.
var errRefusedAddress = errors.New("connection to a loopback, private, link-local or reserved address refused")
