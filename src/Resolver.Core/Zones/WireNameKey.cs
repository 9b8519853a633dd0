using System.Diagnostics.CodeAnalysis;
using Resolver.Protocol.Names;

namespace Resolver.Core.Zones;

/// <summary>
/// Compares uncompressed wire names held as byte arrays, ignoring ASCII case (RFC 4343 §3), and
/// lets a dictionary be searched with a span (a suffix of the question name) so a lookup walks
/// the name's ancestors without allocating one object per label.
/// </summary>
internal sealed class WireNameKey : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly WireNameKey Instance = new();

    public bool Equals(byte[]? x, byte[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && WireNameComparer.EqualsIgnoreCase(x, y));

    public int GetHashCode([DisallowNull] byte[] obj) => WireNameComparer.GetHashCodeIgnoreCase(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => WireNameComparer.EqualsIgnoreCase(alternate, other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => WireNameComparer.GetHashCodeIgnoreCase(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    /// <summary>Offset in <paramref name="wire"/> of the name with the first <paramref name="labels"/> labels removed.</summary>
    public static int SkipLabels(ReadOnlySpan<byte> wire, int labels)
    {
        int position = 0;
        for (int i = 0; i < labels; i++)
            position += 1 + wire[position];
        return position;
    }
}
