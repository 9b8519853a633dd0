using Resolver.Protocol;
using Resolver.Protocol.Names;

namespace Resolver.Core.Dnssec;

/// <summary>
/// RFC 4034 §6.1: names sort by their labels from the rightmost, each label compared as a
/// lower-cased octet string (a shorter label that is a prefix sorts first); the name with fewer
/// labels sorts first when all its labels match.
/// </summary>
public sealed class CanonicalNameOrder : IComparer<DnsName>
{
    public static readonly CanonicalNameOrder Instance = new();

    public int Compare(DnsName? x, DnsName? y)
    {
        if (x is null || y is null)
            return x is null ? (y is null ? 0 : -1) : 1;
        int xi = x.LabelCount - 1;
        int yi = y.LabelCount - 1;
        for (; xi >= 0 && yi >= 0; xi--, yi--)
        {
            int order = CompareLabels(x.GetLabel(xi), y.GetLabel(yi));
            if (order != 0)
                return order;
        }
        return x.LabelCount.CompareTo(y.LabelCount);
    }

    /// <summary>
    /// RFC 4034 §4.1.1 / RFC 4035 §5.4: whether the NSEC from <paramref name="owner"/> to
    /// <paramref name="next"/> covers <paramref name="name"/> (lies strictly between them). The last
    /// NSEC of a zone points back to the apex, so a next name sorting before the owner wraps.
    /// </summary>
    public static bool Covers(DnsName owner, DnsName next, DnsName name)
    {
        var order = Instance;
        if (order.Compare(owner, next) < 0)
            return order.Compare(owner, name) < 0 && order.Compare(name, next) < 0;
        // The last NSEC: everything after the owner that is still in the zone (below next, the apex).
        return order.Compare(owner, name) < 0 && name.IsSubdomainOf(next);
    }

    private static int CompareLabels(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int length = Math.Min(a.Length, b.Length);
        for (int i = 0; i < length; i++)
        {
            int order = WireNameComparer.ToLower(a[i]).CompareTo(WireNameComparer.ToLower(b[i]));
            if (order != 0)
                return order;
        }
        return a.Length.CompareTo(b.Length);
    }
}
