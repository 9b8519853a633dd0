using System.Net;

namespace Resolver.NameService;

/// <summary>getaddrinfo hints (struct addrinfo's ai_flags, ai_family, ai_socktype, ai_protocol).</summary>
public readonly record struct AddrInfoHints(
    AddrInfoFlags Flags = AddrInfoFlags.None,
    AddrFamily Family = AddrFamily.Unspec,
    SockType SockType = SockType.Any,
    IpProtocol Protocol = IpProtocol.Any);

/// <summary>
/// One getaddrinfo result. <see cref="CanonicalName"/> is set on the first entry only, and only
/// with <see cref="AddrInfoFlags.CanonName"/>, as in glibc.
/// </summary>
public sealed record AddrInfo(AddrFamily Family, SockType SockType, IpProtocol Protocol, IPEndPoint EndPoint, string? CanonicalName);

/// <summary>The results of getaddrinfo, or its error (never both).</summary>
public sealed record AddrInfoResult(AddrInfoError Error, IReadOnlyList<AddrInfo> Entries)
{
    public bool IsSuccess => Error == AddrInfoError.Success;

    internal static AddrInfoResult Failed(AddrInfoError error) => new(error, Array.Empty<AddrInfo>());
}

/// <summary>The results of getnameinfo, or its error. Host/Service are null when not asked for.</summary>
public sealed record NameInfoResult(AddrInfoError Error, string? Host, string? Service)
{
    public bool IsSuccess => Error == AddrInfoError.Success;

    internal static NameInfoResult Failed(AddrInfoError error) => new(error, null, null);
}
