using System.Net;
using System.Net.Sockets;

namespace Resolver.NameService;

/// <summary>The source address the system would use to reach a destination, or null if unreachable.</summary>
public delegate IPAddress? SourceAddressSelector(IPAddress destination);

/// <summary>
/// Orders destinations by RFC 6724 §6 with glibc's policy table. Implemented rules: 1 (avoid
/// unusable destinations), 2 (prefer matching scope), 5 (prefer matching label), 6 (prefer higher
/// precedence), 8 (prefer smaller scope), 9 (longest matching prefix, IPv6 only, up to the /64),
/// 10 (otherwise keep the order). Rules 3, 4 and 7 need interface flags we do not have.
/// Rules that need a source address are skipped when neither destination has one.
/// </summary>
public static class DestinationAddressSorter
{
    private sealed record Candidate<T>(T Item, IPAddress Destination, IPAddress? Source, int Index);

    public static List<T> Sort<T>(IReadOnlyList<T> items, Func<T, IPAddress> addressOf, SourceAddressSelector sourceFor)
    {
        var sources = new Dictionary<IPAddress, IPAddress?>();
        var candidates = new List<Candidate<T>>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            IPAddress destination = addressOf(items[i]);
            if (!sources.TryGetValue(destination, out IPAddress? source))
                sources[destination] = source = sourceFor(destination);
            candidates.Add(new Candidate<T>(items[i], destination, source, i));
        }
        candidates.Sort(Compare);
        var sorted = new List<T>(candidates.Count);
        foreach (Candidate<T> c in candidates) sorted.Add(c.Item);
        return sorted;
    }

    private static int Compare<T>(Candidate<T> a, Candidate<T> b)
    {
        // Rule 1: avoid unusable destinations.
        if ((a.Source is null) != (b.Source is null)) return a.Source is null ? 1 : -1;
        int scopeA = AddressPolicyTable.ScopeOf(a.Destination), scopeB = AddressPolicyTable.ScopeOf(b.Destination);
        if (a.Source is not null && b.Source is not null)
        {
            // Rule 2: prefer matching scope.
            bool matchA = scopeA == AddressPolicyTable.ScopeOf(a.Source);
            bool matchB = scopeB == AddressPolicyTable.ScopeOf(b.Source);
            if (matchA != matchB) return matchA ? -1 : 1;
            // Rule 5: prefer matching label.
            bool labelA = AddressPolicyTable.LabelOf(a.Destination) == AddressPolicyTable.LabelOf(a.Source);
            bool labelB = AddressPolicyTable.LabelOf(b.Destination) == AddressPolicyTable.LabelOf(b.Source);
            if (labelA != labelB) return labelA ? -1 : 1;
        }
        // Rule 6: prefer higher precedence.
        int precedence = AddressPolicyTable.PrecedenceOf(b.Destination).CompareTo(AddressPolicyTable.PrecedenceOf(a.Destination));
        if (precedence != 0) return precedence;
        // Rule 8: prefer smaller scope.
        if (scopeA != scopeB) return scopeA.CompareTo(scopeB);
        // Rule 9: longest matching prefix, only between IPv6 destinations.
        if (a.Source is not null && b.Source is not null
            && a.Destination.AddressFamily == AddressFamily.InterNetworkV6
            && b.Destination.AddressFamily == AddressFamily.InterNetworkV6
            && a.Source.AddressFamily == AddressFamily.InterNetworkV6
            && b.Source.AddressFamily == AddressFamily.InterNetworkV6)
        {
            int prefix = CommonPrefixLength(b.Destination, b.Source).CompareTo(CommonPrefixLength(a.Destination, a.Source));
            if (prefix != 0) return prefix;
        }
        // Rule 10: leave the order unchanged.
        return a.Index.CompareTo(b.Index);
    }

    /// <summary>Leading bits in common, counted up to 64 (RFC 6724 §2.2 CommonPrefixLen).</summary>
    internal static int CommonPrefixLength(IPAddress x, IPAddress y)
    {
        byte[] a = x.GetAddressBytes(), b = y.GetAddressBytes();
        int bits = 0;
        for (int i = 0; i < 8; i++)
        {
            int diff = a[i] ^ b[i];
            if (diff == 0) { bits += 8; continue; }
            while ((diff & 0x80) == 0) { bits++; diff <<= 1; }
            break;
        }
        return bits;
    }

    /// <summary>
    /// The system's choice of source address, found the way glibc finds it: connect a UDP socket
    /// to the destination (this sends nothing) and read the local address back.
    /// </summary>
    public static IPAddress? SystemSourceAddress(IPAddress destination)
    {
        try
        {
            using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(destination, 9));
            return (socket.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
