using System.Text;
using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// RRSIG (RFC 4034 §3.1): type covered, algorithm, labels, original TTL, expiration and
/// inception (seconds since 1970, printed YYYYMMDDHHmmSS), key tag, signer's name, signature.
/// </summary>
public sealed class RrsigRecordData(
    RecordType typeCovered, byte algorithm, byte labels, uint originalTtl, uint expiration, uint inception,
    ushort keyTag, DnsName signerName, byte[] signature) : DnsRecordData
{
    public RecordType TypeCovered { get; } = typeCovered;
    public byte Algorithm { get; } = algorithm;
    public byte Labels { get; } = labels;
    public uint OriginalTtl { get; } = originalTtl;
    public uint Expiration { get; } = expiration;
    public uint Inception { get; } = inception;
    public ushort KeyTag { get; } = keyTag;
    public DnsName SignerName { get; } = signerName;
    public byte[] Signature { get; } = signature;

    public static RrsigRecordData Read(ref DnsReader reader, int length)
    {
        int start = reader.Position;
        var typeCovered = (RecordType)reader.ReadUInt16();
        byte algorithm = reader.ReadByte();
        byte labels = reader.ReadByte();
        uint originalTtl = reader.ReadUInt32();
        uint expiration = reader.ReadUInt32();
        uint inception = reader.ReadUInt32();
        ushort keyTag = reader.ReadUInt16();
        // RFC 4034 §3.1.7: the signer's name MUST NOT be compressed.
        var signer = reader.ReadUncompressedName();
        var signature = reader.ReadBytes(length - (reader.Position - start), "RRSIG signature");
        return new RrsigRecordData(typeCovered, algorithm, labels, originalTtl, expiration, inception, keyTag, signer, signature);
    }

    internal static RrsigRecordData ParseText(RdataTokenReader tokens) => new(
        tokens.ReadType("type covered"), tokens.ReadByte("algorithm"), tokens.ReadByte("labels"), tokens.ReadUInt32("original TTL"),
        ReadTime(tokens, "expiration"), ReadTime(tokens, "inception"), tokens.ReadUInt16("key tag"), tokens.ReadName("signer's name"),
        tokens.ReadBase64Rest("signature", allowEmpty: true));

    private static uint ReadTime(RdataTokenReader tokens, string field)
    {
        var token = tokens.Next(field);
        if (token.Quoted || !SignatureTimeText.TryParse(token.Text, out uint seconds))
            throw tokens.Error($"{field} '{token.Text}' is neither YYYYMMDDHHmmSS nor seconds since 1970");
        return seconds;
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteUInt16((ushort)TypeCovered);
        writer.WriteByte(Algorithm);
        writer.WriteByte(Labels);
        writer.WriteUInt32(OriginalTtl);
        writer.WriteUInt32(Expiration);
        writer.WriteUInt32(Inception);
        writer.WriteUInt16(KeyTag);
        writer.WriteName(SignerName, compress: false);
        writer.WriteBytes(Signature);
    }

    public override string ToText()
    {
        var builder = new StringBuilder();
        builder.Append(Mnemonics.TypeToText(TypeCovered)).Append(' ')
            .Append(string.Create(CultureInfo.InvariantCulture, $"{Algorithm} {Labels} {OriginalTtl} "))
            .Append(SignatureTimeText.Format(Expiration)).Append(' ')
            .Append(SignatureTimeText.Format(Inception)).Append(' ')
            .Append(KeyTag.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(SignerName.ToString());
        if (Signature.Length > 0)
            builder.Append(' ').Append(BinaryText.Base64(Signature));
        return builder.ToString();
    }
}
