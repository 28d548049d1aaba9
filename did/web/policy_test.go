package web

import (
	"errors"
	"net/netip"
	"testing"
)

func TestAddressPolicy_Allows(t *testing.T) {
	tests := []struct {
		name          string
		ip            string
		allowLoopback bool
		want          bool
	}{
		{"ok - public IPv4", "93.184.216.34", false, true},
		{"ok - public IPv6", "2606:2800:220:1:248:1893:25c8:1946", false, true},
		{"ok - loopback when allowed", "127.0.0.1", true, true},
		{"ok - IPv6 loopback when allowed", "::1", true, true},
		{"error - loopback", "127.0.0.1", false, false},
		{"error - other loopback", "127.1.2.3", false, false},
		{"error - IPv6 loopback", "::1", false, false},
		{"error - 10/8", "10.0.0.1", false, false},
		{"error - 172.16/12", "172.16.5.4", false, false},
		{"error - 192.168/16", "192.168.1.10", false, false},
		{"error - private even with loopback allowed", "192.168.1.10", true, false},
		{"error - metadata link-local", "169.254.169.254", false, false},
		{"error - IPv6 link-local", "fe80::1", false, false},
		{"error - IPv6 unique local", "fd00::1", false, false},
		{"error - unspecified", "0.0.0.0", false, false},
		{"error - IPv6 unspecified", "::", false, false},
		{"error - multicast", "224.0.0.1", false, false},
		{"error - IPv6 multicast", "ff02::1", false, false},
		{"error - broadcast", "255.255.255.255", false, false},
		{"error - carrier-grade NAT", "100.64.0.1", false, false},
		{"error - IPv4-mapped private", "::ffff:10.0.0.1", false, false},
		{"error - IPv4-mapped loopback", "::ffff:127.0.0.1", false, false},
		{"error - NAT64", "64:ff9b::a00:1", false, false},
		{"error - 6to4", "2002:a00:1::1", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := addressPolicy{allowLoopback: tt.allowLoopback}.allows(netip.MustParseAddr(tt.ip))
			if got != tt.want {
				t.Fatalf("allows(%s) = %v, want %v", tt.ip, got, tt.want)
			}
		})
	}
}

func TestAddressPolicy_Control(t *testing.T) {
	tests := []struct {
		name    string
		network string
		address string
		wantErr bool
	}{
		{"ok - public", "tcp4", "93.184.216.34:443", false},
		{"error - private", "tcp4", "10.0.0.1:443", true},
		{"error - loopback IPv6", "tcp6", "[::1]:443", true},
		{"error - zoned link-local", "tcp6", "[fe80::1%eth0]:443", true},
		{"error - udp", "udp4", "93.184.216.34:53", true},
		{"error - unparsable", "tcp4", "example.com:443", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := addressPolicy{}.control(tt.network, tt.address, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("control = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, errRefusedAddress) {
				t.Fatalf("err = %v, want errRefusedAddress", err)
			}
		})
	}
}
