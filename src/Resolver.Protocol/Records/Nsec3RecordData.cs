using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// NSEC3 (RFC 5155 §3.2): hash algorithm, flags, iterations, salt, next hashed owner name
/// (base32hex in text, §3.3) and the types at the hashed name.
/// </summary>
public sealed class Nsec3RecordData(byte hashAlgorithm, byte flags, ushort iterations, byte[] salt, byte[] nextHashedOwner, TypeBitmap types)
    : DnsRecordData
{
    public byte HashAlgorithm { get; } = hashAlgorithm;
    public byte Flags { get; } = flags;
    public ushort Iterations { get; } = iterations;
    public byte[] Salt { get; } = salt.Length <= 255 ? salt : throw new ArgumentException("salt longer than 255 octets", nameof(salt));
    public byte[] NextHashedOwner { get; } = nextHashedOwner.Length is >= 1 and <= 255
        ? nextHashedOwner
        : throw new ArgumentException("hash must be 1 to 255 octets", nameof(nextHashedOwner));
    public TypeBitmap Types { get; } = types;

    /// <summary>Opt-Out flag (RFC 5155 §3.1.2.1).</summary>
    public bool OptOut => (Flags & 0x01) != 0;

    public static Nsec3RecordData Read(ref DnsReader reader)
    {
        byte algorithm = reader.ReadByte();
        byte flags = reader.ReadByte();
        ushort iterations = reader.ReadUInt16();
        var salt = reader.ReadCharacterString();
        int hashAt = reader.Position;
        var hash = reader.ReadCharacterString();
        if (hash.Length == 0)
            throw new DnsFormatException("NSEC3 next hashed owner name is empty", hashAt);
        return new Nsec3RecordData(algorithm, flags, iterations, salt, hash, TypeBitmap.Read(ref reader));
    }

    internal static Nsec3RecordData ParseText(RdataTokenReader tokens)
    {
        byte algorithm = tokens.ReadByte("hash algorithm");
        byte flags = tokens.ReadByte("flags");
        ushort iterations = tokens.ReadUInt16("iterations");
        var salt = Nsec3SaltText.Parse(tokens);
        var next = tokens.Next("next hashed owner name");
        if (next.Quoted || !Base32HexText.TryDecode(next.Text, out var hash) || hash.Length is 0 or > 255)
            throw tokens.Error($"next hashed owner name '{next.Text}' is not base32hex");
        return new Nsec3RecordData(algorithm, flags, iterations, salt, hash, TypeBitmap.ParseText(tokens));
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteByte(HashAlgorithm);
        writer.WriteByte(Flags);
        writer.WriteUInt16(Iterations);
        writer.WriteCharacterString(Salt);
        writer.WriteCharacterString(NextHashedOwner);
        Types.WriteTo(ref writer);
    }

    public override string ToText()
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{HashAlgorithm} {Flags} {Iterations} {Nsec3SaltText.Format(Salt)} {Base32HexText.Encode(NextHashedOwner)}");
        string types = Types.ToText();
        return types.Length == 0 ? text : text + " " + types;
    }
}
