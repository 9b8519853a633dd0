namespace Resolver.NameService;

/// <summary>getaddrinfo hints.ai_flags with glibc's values (netdb.h).</summary>
[Flags]
public enum AddrInfoFlags
{
    None = 0,
    Passive = 0x0001,     // AI_PASSIVE
    CanonName = 0x0002,   // AI_CANONNAME
    NumericHost = 0x0004, // AI_NUMERICHOST
    V4Mapped = 0x0008,    // AI_V4MAPPED
    All = 0x0010,         // AI_ALL
    AddrConfig = 0x0020,  // AI_ADDRCONFIG
    Idn = 0x0040,         // AI_IDN (accepted; names are used as given)
    CanonIdn = 0x0080,    // AI_CANONIDN (accepted; no effect)
    NumericServ = 0x0400, // AI_NUMERICSERV
}

/// <summary>getnameinfo flags with glibc's values (netdb.h).</summary>
[Flags]
public enum NameInfoFlags
{
    None = 0,
    NumericHost = 1, // NI_NUMERICHOST
    NumericServ = 2, // NI_NUMERICSERV
    NoFqdn = 4,      // NI_NOFQDN
    NameReqd = 8,    // NI_NAMEREQD
    Dgram = 16,      // NI_DGRAM
    Idn = 32,        // NI_IDN (accepted; no effect)
}
