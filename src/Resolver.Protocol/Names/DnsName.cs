using Resolver.Protocol.Names;

namespace Resolver.Protocol;

/// <summary>
/// A domain name held in uncompressed wire form (length-prefixed labels ending in the root label).
/// Case is preserved as received; equality and hashing ignore ASCII case (RFC 4343).
/// Immutable, so names can be shared between messages, caches and zones.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>
{
    private readonly byte[] _wire;
    private int _hash;

    public static readonly DnsName Root = new([0], labelCount: 0);

    private DnsName(byte[] wire, int labelCount)
    {
        _wire = wire;
        LabelCount = labelCount;
    }

    /// <summary>The uncompressed wire form, terminating zero included.</summary>
    public ReadOnlySpan<byte> Wire => _wire;

    public int WireLength => _wire.Length;

    /// <summary>Number of labels, the root label not counted ("www.example." has 2).</summary>
    public int LabelCount { get; }

    public bool IsRoot => LabelCount == 0;

    /// <summary>Builds a name from an uncompressed wire form, validating label and name lengths.</summary>
    public static DnsName FromWire(ReadOnlySpan<byte> wire)
    {
        if (wire.Length == 1 && wire[0] == 0)
            return Root;
        int labels = CountLabels(wire);
        return new DnsName(wire.ToArray(), labels);
    }

    /// <summary>Reads a possibly compressed name from a message at <paramref name="offset"/>.</summary>
    public static DnsName Read(ReadOnlySpan<byte> message, ref int offset)
    {
        Span<byte> buffer = stackalloc byte[WireNameReader.MaxNameLength];
        int length = WireNameReader.Read(message, offset, buffer, out offset);
        return FromWire(buffer[..length]);
    }

    /// <summary>Parses presentation text ("www.example.com.", "@", relative names, \DDD and \X escapes).</summary>
    public static DnsName Parse(string text, DnsName? origin = null) => NameText.Parse(text, origin);

    public static bool TryParse(string text, out DnsName name, DnsName? origin = null)
    {
        try
        {
            name = NameText.Parse(text, origin);
            return true;
        }
        catch (DnsFormatException)
        {
            name = Root;
            return false;
        }
    }

    /// <summary>The name as dig prints it: absolute with a trailing dot, special octets escaped.</summary>
    public override string ToString() => NameText.Format(_wire);

    /// <summary>Returns label <paramref name="index"/> (0 = leftmost) without its length octet.</summary>
    public ReadOnlySpan<byte> GetLabel(int index)
    {
        int position = 0;
        for (int i = 0; i < index; i++)
            position += 1 + _wire[position];
        return new ReadOnlySpan<byte>(_wire, position + 1, _wire[position]);
    }

    /// <summary>The name without its leftmost label; the root's parent is the root.</summary>
    public DnsName Parent()
    {
        if (IsRoot)
            return Root;
        int skip = 1 + _wire[0];
        return LabelCount == 1 ? Root : new DnsName(_wire[skip..], LabelCount - 1);
    }

    /// <summary>True when this name equals <paramref name="ancestor"/> or lies below it.</summary>
    public bool IsSubdomainOf(DnsName ancestor)
    {
        int extra = LabelCount - ancestor.LabelCount;
        if (extra < 0)
            return false;
        int position = 0;
        for (int i = 0; i < extra; i++)
            position += 1 + _wire[position];
        return WireNameComparer.EqualsIgnoreCase(_wire.AsSpan(position), ancestor._wire);
    }

    /// <summary>This name followed by <paramref name="suffix"/> (this name's root label dropped).</summary>
    public DnsName Append(DnsName suffix)
    {
        int length = _wire.Length - 1 + suffix._wire.Length;
        if (length > WireNameReader.MaxNameLength)
            throw new DnsFormatException("name is longer than 255 octets", length);
        var wire = new byte[length];
        _wire.AsSpan(0, _wire.Length - 1).CopyTo(wire);
        suffix._wire.CopyTo(wire, _wire.Length - 1);
        return new DnsName(wire, LabelCount + suffix.LabelCount);
    }

    /// <summary>A copy with ASCII letters lower-cased, for canonical keys.</summary>
    public DnsName ToLowerInvariant()
    {
        var wire = (byte[])_wire.Clone();
        WireNameComparer.ToLowerInPlace(wire);
        return new DnsName(wire, LabelCount);
    }

    public bool Equals(DnsName? other) =>
        other is not null && (ReferenceEquals(this, other) || WireNameComparer.EqualsIgnoreCase(_wire, other._wire));

    /// <summary>Case-sensitive comparison, for checks that the client's letter case was kept.</summary>
    public bool EqualsExactly(DnsName other) => _wire.AsSpan().SequenceEqual(other._wire);

    public override bool Equals(object? obj) => obj is DnsName other && Equals(other);

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            int hash = WireNameComparer.GetHashCodeIgnoreCase(_wire);
            _hash = hash == 0 ? 1 : hash;
        }
        return _hash;
    }

    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    internal static int CountLabels(ReadOnlySpan<byte> wire)
    {
        if (wire.Length > WireNameReader.MaxNameLength)
            throw new DnsFormatException("name is longer than 255 octets", 0);
        int position = 0;
        int labels = 0;
        while (true)
        {
            if (position >= wire.Length)
                throw new DnsFormatException("name has no terminating root label", position);
            int length = wire[position];
            if (length == 0)
            {
                if (position != wire.Length - 1)
                    throw new DnsFormatException("bytes after the root label", position);
                return labels;
            }
            if (length > WireNameReader.MaxLabelLength)
                throw new DnsFormatException("label longer than 63 octets", position);
            position += 1 + length;
            labels++;
        }
    }
}
