using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>DNSKEY (RFC 4034 §2.1): flags, protocol (always 3), algorithm, public key in base64.</summary>
public sealed class DnskeyRecordData(ushort flags, byte protocol, byte algorithm, byte[] publicKey) : DnsRecordData
{
    public ushort Flags { get; } = flags;
    public byte Protocol { get; } = protocol;
    public byte Algorithm { get; } = algorithm;
    public byte[] PublicKey { get; } = publicKey;

    /// <summary>Zone Key flag (RFC 4034 §2.1.1, value 256).</summary>
    public bool IsZoneKey => (Flags & 0x0100) != 0;

    /// <summary>Secure Entry Point flag (RFC 4034 §2.1.1, value 1): a KSK.</summary>
    public bool IsSecureEntryPoint => (Flags & 0x0001) != 0;

    /// <summary>The key tag (RFC 4034 Appendix B) that DS and RRSIG records use to point at this key.</summary>
    public ushort KeyTag => _keyTag >= 0 ? (ushort)_keyTag : (ushort)(_keyTag = ComputeKeyTag());

    // Computed once: a validator compares it with every RRSIG it checks, and the record never changes.
    private int _keyTag = -1;

    private ushort ComputeKeyTag()
    {
        byte[] wire = ToWire();
        uint sum = 0;
        for (int i = 0; i < wire.Length; i++)
            sum += (i & 1) == 0 ? (uint)wire[i] << 8 : wire[i];
        sum += (sum >> 16) & 0xFFFF;
        return (ushort)(sum & 0xFFFF);
    }

    public static DnskeyRecordData Read(ref DnsReader reader, int length) =>
        new(reader.ReadUInt16(), reader.ReadByte(), reader.ReadByte(), reader.ReadBytes(length - 4, "DNSKEY public key"));

    // The protocol field must be 3 (RFC 4034 §2.1.2), but a key with another value is only
    // useless for validation, not malformed, so it is kept.
    internal static DnskeyRecordData ParseText(RdataTokenReader tokens) => new(
        tokens.ReadUInt16("flags"), tokens.ReadByte("protocol"), tokens.ReadByte("algorithm"),
        tokens.ReadBase64Rest("public key", allowEmpty: true));

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteUInt16(Flags);
        writer.WriteByte(Protocol);
        writer.WriteByte(Algorithm);
        writer.WriteBytes(PublicKey);
    }

    public override string ToText()
    {
        string head = string.Create(CultureInfo.InvariantCulture, $"{Flags} {Protocol} {Algorithm}");
        return PublicKey.Length == 0 ? head : head + " " + BinaryText.Base64(PublicKey);
    }
}
