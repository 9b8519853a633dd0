using System.Buffers;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// Typed RDATA. Each type reads itself from the wire (consuming exactly RDLENGTH octets),
/// writes itself, and prints itself in presentation form. Types the codec does not model
/// are kept as <see cref="UnknownRecordData"/> (RFC 3597).
/// </summary>
public abstract class DnsRecordData : IEquatable<DnsRecordData>
{
    /// <summary>Writes the RDATA (not RDLENGTH). Only RFC 1035 types may compress names in it.</summary>
    public abstract void WriteTo(ref DnsWriter writer);

    /// <summary>RDATA in presentation form, as dig prints it.</summary>
    public abstract string ToText();

    public override string ToString() => ToText();

    /// <summary>The uncompressed wire form of the RDATA, used for equality and for RFC 3597 text.</summary>
    public byte[] ToWire()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ushort.MaxValue);
        try
        {
            var writer = new DnsWriter(buffer, Span<ushort>.Empty);
            WriteTo(ref writer);
            return writer.Written.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // RDATA equality is octet equality of the canonical (uncompressed) form, case included:
    // RFC 2181 §5.2 counts records as one RRset member only when the data are identical.
    public bool Equals(DnsRecordData? other) =>
        other is not null && other.GetType() == GetType() && ToWire().AsSpan().SequenceEqual(other.ToWire());

    public override bool Equals(object? obj) => Equals(obj as DnsRecordData);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(ToWire());
        return hash.ToHashCode();
    }
}
