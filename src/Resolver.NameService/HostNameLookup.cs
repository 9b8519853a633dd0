using System.Net;

namespace Resolver.NameService;

/// <summary>
/// Looks a host name up through the sources in order ("hosts: files dns"), stopping at the first
/// that finds an address, and turns failure into an EAI code as glibc's gaih_inet does:
/// EAI_AGAIN when every question timed out or got SERVFAIL, EAI_NODATA when the name exists but
/// has no address of the family asked, EAI_NONAME otherwise (NXDOMAIN, and also FORMERR and other NO_RECOVERY answers,
/// which glibc reports as EAI_NONAME too). Only the last source's failure counts.
/// </summary>
internal static class HostNameLookup
{
    private const int NoDataMarker = 1, AgainMarker = 2;

    public static async ValueTask<(AddrInfoError Error, List<IPAddress> Addresses, string? CanonicalName)> LookupAsync(
        IReadOnlyList<IHostSource> sources, string name, AddrInfoHints hints, bool synchronous, CancellationToken ct)
    {
        int noData = 0, noInet6Data = 0;
        foreach (IHostSource source in sources)
        {
            var addresses = new List<IPAddress>();
            string? canonical = null;
            if (hints.Family == AddrFamily.Unspec)
            {
                SourceAnswer both = await source.LookupAsync(name, AddrFamily.Unspec, synchronous, ct);
                if (both.Outcome == DnsLookupOutcome.Success) return (AddrInfoError.Success, new List<IPAddress>(both.Addresses), both.CanonicalName);
                noData = noInet6Data = Marker(both.Outcome);
                continue;
            }
            bool gotIPv6 = false;
            if (hints.Family == AddrFamily.Inet6)
            {
                SourceAnswer v6 = await source.LookupAsync(name, AddrFamily.Inet6, synchronous, ct);
                if (v6.Outcome == DnsLookupOutcome.Success) { addresses.AddRange(v6.Addresses); canonical = v6.CanonicalName; gotIPv6 = true; }
                noData = noInet6Data = Marker(v6.Outcome);
            }
            // RFC 3493 §6.1: AI_V4MAPPED asks for IPv4 only when there was no IPv6, unless AI_ALL.
            bool mapped = hints.Family == AddrFamily.Inet6 && hints.Flags.HasFlag(AddrInfoFlags.V4Mapped)
                && (hints.Flags.HasFlag(AddrInfoFlags.All) || !gotIPv6);
            if (hints.Family == AddrFamily.Inet || mapped)
            {
                SourceAnswer v4 = await source.LookupAsync(name, AddrFamily.Inet, synchronous, ct);
                if (v4.Outcome == DnsLookupOutcome.Success)
                {
                    foreach (IPAddress a in v4.Addresses) addresses.Add(mapped ? a.MapToIPv6() : a);
                    canonical ??= v4.CanonicalName;
                }
                noData = Marker(v4.Outcome);
                if (hints.Family == AddrFamily.Inet) noInet6Data = noData;
            }
            if (addresses.Count > 0) return (AddrInfoError.Success, addresses, canonical);
        }
        AddrInfoError error = noData != 0 && noInet6Data != 0
            ? (noData == AgainMarker && noInet6Data == AgainMarker ? AddrInfoError.Again : AddrInfoError.NoData)
            : AddrInfoError.NoName;
        return (error, new List<IPAddress>(), null);
    }

    private static int Marker(DnsLookupOutcome outcome) => outcome switch
    {
        DnsLookupOutcome.TryAgain or DnsLookupOutcome.ServerFailure => AgainMarker,
        DnsLookupOutcome.NoData => NoDataMarker,
        _ => 0,
    };
}
