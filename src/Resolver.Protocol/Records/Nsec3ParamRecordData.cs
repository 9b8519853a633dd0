using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>NSEC3PARAM (RFC 5155 §4.2): hash algorithm, flags, iterations, salt ("-" when empty).</summary>
public sealed class Nsec3ParamRecordData(byte hashAlgorithm, byte flags, ushort iterations, byte[] salt) : DnsRecordData
{
    public byte HashAlgorithm { get; } = hashAlgorithm;
    public byte Flags { get; } = flags;
    public ushort Iterations { get; } = iterations;
    public byte[] Salt { get; } = salt.Length <= 255 ? salt : throw new ArgumentException("salt longer than 255 octets", nameof(salt));

    public static Nsec3ParamRecordData Read(ref DnsReader reader) =>
        new(reader.ReadByte(), reader.ReadByte(), reader.ReadUInt16(), reader.ReadCharacterString());

    internal static Nsec3ParamRecordData ParseText(RdataTokenReader tokens) => new(
        tokens.ReadByte("hash algorithm"), tokens.ReadByte("flags"), tokens.ReadUInt16("iterations"), Nsec3SaltText.Parse(tokens));

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteByte(HashAlgorithm);
        writer.WriteByte(Flags);
        writer.WriteUInt16(Iterations);
        writer.WriteCharacterString(Salt);
    }

    public override string ToText() =>
        string.Create(CultureInfo.InvariantCulture, $"{HashAlgorithm} {Flags} {Iterations} {Nsec3SaltText.Format(Salt)}");
}
