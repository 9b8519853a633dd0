using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>DS (RFC 4034 §5.1): key tag, algorithm, digest type, digest printed as upper-case hex.</summary>
public sealed class DsRecordData(ushort keyTag, byte algorithm, byte digestType, byte[] digest) : DnsRecordData
{
    public ushort KeyTag { get; } = keyTag;
    public byte Algorithm { get; } = algorithm;
    public byte DigestType { get; } = digestType;
    public byte[] Digest { get; } = digest;

    public static DsRecordData Read(ref DnsReader reader, int length)
    {
        int start = reader.Position;
        ushort keyTag = reader.ReadUInt16();
        byte algorithm = reader.ReadByte();
        byte digestType = reader.ReadByte();
        var digest = reader.ReadBytes(length - 4, "DS digest");
        CheckDigest(digestType, digest.Length, start + 4);
        return new DsRecordData(keyTag, algorithm, digestType, digest);
    }

    internal static DsRecordData ParseText(RdataTokenReader tokens)
    {
        ushort keyTag = tokens.ReadUInt16("key tag");
        byte algorithm = tokens.ReadByte("algorithm");
        byte digestType = tokens.ReadByte("digest type");
        var digest = tokens.ReadHexRest("digest", allowEmpty: false);
        try
        {
            CheckDigest(digestType, digest.Length, 0);
        }
        catch (DnsFormatException e)
        {
            throw tokens.Error(e.Problem);
        }
        return new DsRecordData(keyTag, algorithm, digestType, digest);
    }

    // Known digests have fixed lengths: SHA-1 (RFC 4034 §5.1.4), SHA-256 (RFC 4509 §2.2),
    // GOST (RFC 5933), SHA-384 (RFC 6605 §2). Others need at least one octet to print.
    private static void CheckDigest(byte digestType, int length, int offset)
    {
        int expected = digestType switch { 1 => 20, 2 => 32, 3 => 32, 4 => 48, _ => -1 };
        if (length == 0 || (expected > 0 && length != expected))
            throw new DnsFormatException($"DS digest type {digestType} with {length} octets", offset);
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteUInt16(KeyTag);
        writer.WriteByte(Algorithm);
        writer.WriteByte(DigestType);
        writer.WriteBytes(Digest);
    }

    public override string ToText() =>
        string.Create(CultureInfo.InvariantCulture, $"{KeyTag} {Algorithm} {DigestType} {BinaryText.Hex(Digest)}");
}
