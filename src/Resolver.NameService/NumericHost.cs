using System.Net;

namespace Resolver.NameService;

/// <summary>
/// A node that is an address literal, read as glibc's getaddrinfo reads it: IPv4 in inet_aton
/// form (so "127.1" and "0x7f.1" are addresses), else IPv6 with an optional "%scope".
/// Such a node never reaches the hosts file or DNS.
/// </summary>
internal static class NumericHost
{
    /// <summary>
    /// Null when the node is not numeric. Otherwise the address for the requested family, or
    /// EAI_ADDRFAMILY when the literal's family does not fit (IPv4 into AF_INET6 needs
    /// AI_V4MAPPED; IPv6 into AF_INET only when IPv4-mapped), or EAI_NONAME for a bad scope.
    /// </summary>
    public static (AddrInfoError Error, IPAddress? Address)? TryParse(string node, AddrInfoHints hints, IInterfaceNames interfaces)
    {
        if (InetAddressText.TryParseAton(node, out IPAddress v4))
        {
            return hints.Family switch
            {
                AddrFamily.Unspec or AddrFamily.Inet => (AddrInfoError.Success, v4),
                AddrFamily.Inet6 when hints.Flags.HasFlag(AddrInfoFlags.V4Mapped) => (AddrInfoError.Success, v4.MapToIPv6()),
                _ => (AddrInfoError.AddrFamily, null),
            };
        }
        int percent = node.IndexOf('%');
        string bare = percent >= 0 ? node[..percent] : node;
        if (!InetAddressText.TryParsePton6(bare, out IPAddress v6)) return null;

        IPAddress result;
        if (hints.Family is AddrFamily.Unspec or AddrFamily.Inet6) result = v6;
        else if (hints.Family == AddrFamily.Inet && v6.IsIPv4MappedToIPv6) result = v6.MapToIPv4();
        else return (AddrInfoError.AddrFamily, null);

        if (percent >= 0)
        {
            uint? scope = ScopeId.Parse(node[(percent + 1)..], v6, interfaces);
            if (scope is null) return (AddrInfoError.NoName, null);
            if (result.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) result.ScopeId = scope.Value;
        }
        return (AddrInfoError.Success, result);
    }
}
