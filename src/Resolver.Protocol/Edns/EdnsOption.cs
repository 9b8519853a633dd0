using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Edns;

/// <summary>EDNS option codes (IANA "DNS EDNS0 Option Codes").</summary>
public enum EdnsOptionCode : ushort
{
    ClientSubnet = 8,
    Cookie = 10,
    TcpKeepalive = 11,
    Padding = 12,
    ExtendedError = 15,
}

/// <summary>One option of the OPT RDATA (RFC 6891 §6.1.2); options keep their order in the message.</summary>
public abstract class EdnsOption
{
    public abstract ushort Code { get; }

    /// <summary>Writes OPTION-DATA only (code and length are written by the OPT record).</summary>
    public abstract void WriteData(ref DnsWriter writer);

    public abstract override string ToString();

    /// <summary>Reads one option's data; malformed known options are a FORMERR (RFC 7871 §7.1.1, RFC 7873 §5.2.2).</summary>
    public static EdnsOption Read(ushort code, ref DnsReader reader, int length) => (EdnsOptionCode)code switch
    {
        EdnsOptionCode.ClientSubnet => ClientSubnetOption.Read(ref reader, length),
        EdnsOptionCode.Cookie => CookieOption.Read(ref reader, length),
        EdnsOptionCode.Padding => new PaddingOption(reader.ReadBytes(length, "padding")),
        EdnsOptionCode.ExtendedError => ExtendedErrorOption.Read(ref reader, length),
        _ => new UnknownEdnsOption(code, reader.ReadBytes(length, "option data")),
    };
}

/// <summary>An option the codec does not model, kept as octets so it round-trips.</summary>
public sealed class UnknownEdnsOption(ushort code, byte[] data) : EdnsOption
{
    public override ushort Code { get; } = code;
    public byte[] Data { get; } = data;

    public override void WriteData(ref DnsWriter writer) => writer.WriteBytes(Data);

    public override string ToString() => $"OPT={Code}: {Convert.ToHexString(Data)}";
}

/// <summary>Padding (RFC 7830): octets that should be zero, kept as received.</summary>
public sealed class PaddingOption(byte[] data) : EdnsOption
{
    public PaddingOption(int length) : this(new byte[length]) { }

    public override ushort Code => (ushort)EdnsOptionCode.Padding;
    public byte[] Data { get; } = data;

    public override void WriteData(ref DnsWriter writer) => writer.WriteBytes(Data);

    public override string ToString() => $"PADDING: {Data.Length} bytes";
}
