namespace Resolver.NameService;

// Linux numbering on purpose: System.Net.Sockets.AddressFamily uses Windows values
// (InterNetworkV6 = 23), and getaddrinfo users expect AF_INET6 = 10.

/// <summary>Address families as numbered on Linux.</summary>
public enum AddrFamily
{
    Unspec = 0, // AF_UNSPEC
    Inet = 2,   // AF_INET
    Inet6 = 10, // AF_INET6
}

/// <summary>Socket types as numbered on Linux.</summary>
public enum SockType
{
    Any = 0,
    Stream = 1,    // SOCK_STREAM
    Dgram = 2,     // SOCK_DGRAM
    Raw = 3,       // SOCK_RAW
    SeqPacket = 5, // SOCK_SEQPACKET
    Dccp = 6,      // SOCK_DCCP
}

/// <summary>IP protocol numbers (IANA, as in netinet/in.h).</summary>
public enum IpProtocol
{
    Any = 0,
    Tcp = 6,       // IPPROTO_TCP
    Udp = 17,      // IPPROTO_UDP
    Dccp = 33,     // IPPROTO_DCCP
    Sctp = 132,    // IPPROTO_SCTP
    UdpLite = 136, // IPPROTO_UDPLITE
}
