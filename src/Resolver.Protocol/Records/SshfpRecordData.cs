using System.Globalization;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>SSHFP (RFC 4255 §3.1): algorithm, fingerprint type, fingerprint printed as upper-case hex.</summary>
public sealed class SshfpRecordData(byte algorithm, byte fingerprintType, byte[] fingerprint) : DnsRecordData
{
    public byte Algorithm { get; } = algorithm;
    public byte FingerprintType { get; } = fingerprintType;
    public byte[] Fingerprint { get; } = fingerprint;

    public static SshfpRecordData Read(ref DnsReader reader, int length)
    {
        int start = reader.Position;
        byte algorithm = reader.ReadByte();
        byte type = reader.ReadByte();
        var fingerprint = reader.ReadBytes(length - 2, "SSHFP fingerprint");
        CheckFingerprint(type, fingerprint.Length, start + 2);
        return new SshfpRecordData(algorithm, type, fingerprint);
    }

    internal static SshfpRecordData ParseText(RdataTokenReader tokens)
    {
        byte algorithm = tokens.ReadByte("algorithm");
        byte type = tokens.ReadByte("fingerprint type");
        var fingerprint = tokens.ReadHexRest("fingerprint", allowEmpty: false);
        try
        {
            CheckFingerprint(type, fingerprint.Length, 0);
        }
        catch (DnsFormatException e)
        {
            throw tokens.Error(e.Problem);
        }
        return new SshfpRecordData(algorithm, type, fingerprint);
    }

    // RFC 4255 §3.1.3 (SHA-1) and RFC 6594 §3 (SHA-256) fix the fingerprint length; an empty
    // fingerprint has no presentation form.
    private static void CheckFingerprint(byte type, int length, int offset)
    {
        int expected = type switch { 1 => 20, 2 => 32, _ => -1 };
        if (length == 0 || (expected > 0 && length != expected))
            throw new DnsFormatException($"SSHFP fingerprint type {type} with {length} octets", offset);
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteByte(Algorithm);
        writer.WriteByte(FingerprintType);
        writer.WriteBytes(Fingerprint);
    }

    public override string ToText() =>
        string.Create(CultureInfo.InvariantCulture, $"{Algorithm} {FingerprintType} {BinaryText.Hex(Fingerprint)}");
}
