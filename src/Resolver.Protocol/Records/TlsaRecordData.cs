using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>TLSA (RFC 6698 §2.1): usage, selector, matching type, certificate association data in hex.</summary>
public sealed class TlsaRecordData(byte usage, byte selector, byte matchingType, byte[] associationData) : DnsRecordData
{
    public byte Usage { get; } = usage;
    public byte Selector { get; } = selector;
    public byte MatchingType { get; } = matchingType;
    public byte[] AssociationData { get; } = associationData;

    public static TlsaRecordData Read(ref DnsReader reader, int length)
    {
        int start = reader.Position;
        byte usage = reader.ReadByte();
        byte selector = reader.ReadByte();
        byte matching = reader.ReadByte();
        // RFC 6698 §2.2: the data field is required; there is no text form for it being empty.
        if (length <= 3)
            throw new DnsFormatException("TLSA without certificate association data", start);
        return new TlsaRecordData(usage, selector, matching, reader.ReadBytes(length - 3, "TLSA data"));
    }

    internal static TlsaRecordData ParseText(RdataTokenReader tokens) => new(
        tokens.ReadByte("usage"), tokens.ReadByte("selector"), tokens.ReadByte("matching type"),
        tokens.ReadHexRest("certificate association data", allowEmpty: false));

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteByte(Usage);
        writer.WriteByte(Selector);
        writer.WriteByte(MatchingType);
        writer.WriteBytes(AssociationData);
    }

    public override string ToText() =>
        string.Create(CultureInfo.InvariantCulture, $"{Usage} {Selector} {MatchingType} {BinaryText.Hex(AssociationData)}");
}
