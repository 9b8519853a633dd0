using System.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Edns;

/// <summary>Extended DNS Error info codes used by the resolver (RFC 8914 §4).</summary>
public enum ExtendedErrorCode : ushort
{
    Other = 0,
    UnsupportedDnskeyAlgorithm = 1,
    DnssecBogus = 6,
    SignatureExpired = 7,
    SignatureNotYetValid = 8,
    DnskeyMissing = 9,
    RrsigsMissing = 10,
    NoZoneKeyBitSet = 11,
    NsecMissing = 12,
    StaleAnswer = 3,
    Prohibited = 18,
    StaleNxDomainAnswer = 19,
    NotReady = 14,
    CachedError = 13,
    NoReachableAuthority = 22,
    NetworkError = 23,
}

/// <summary>Extended DNS Error (RFC 8914 §2): an INFO-CODE and optional UTF-8 EXTRA-TEXT.</summary>
public sealed class ExtendedErrorOption(ushort infoCode, string extraText) : EdnsOption
{
    public ExtendedErrorOption(ExtendedErrorCode infoCode, string extraText = "") : this((ushort)infoCode, extraText) { }

    public override ushort Code => (ushort)EdnsOptionCode.ExtendedError;
    public ushort InfoCode { get; } = infoCode;
    public string ExtraText { get; } = extraText;

    public static ExtendedErrorOption Read(ref DnsReader reader, int length)
    {
        if (length < 2)
            throw new DnsFormatException("extended error option shorter than 2 octets", reader.Position);
        ushort code = reader.ReadUInt16();
        return new ExtendedErrorOption(code, Encoding.UTF8.GetString(reader.ReadSpan(length - 2, "extra text")));
    }

    public override void WriteData(ref DnsWriter writer)
    {
        writer.WriteUInt16(InfoCode);
        Span<byte> text = stackalloc byte[Encoding.UTF8.GetMaxByteCount(ExtraText.Length)];
        int length = Encoding.UTF8.GetBytes(ExtraText, text);
        writer.WriteBytes(text[..length]);
    }

    public override string ToString() => $"EDE: {InfoCode} ({(ExtendedErrorCode)InfoCode}): ({ExtraText})";
}
