using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>NSEC (RFC 4034 §4.1): the next owner name in canonical order and the types at this name.</summary>
public sealed class NsecRecordData(DnsName nextName, TypeBitmap types) : DnsRecordData
{
    public DnsName NextName { get; } = nextName;
    public TypeBitmap Types { get; } = types;

    // RFC 4034 §4.1.1: the next domain name MUST NOT be compressed.
    public static NsecRecordData Read(ref DnsReader reader) => new(reader.ReadUncompressedName(), TypeBitmap.Read(ref reader));

    internal static NsecRecordData ParseText(RdataTokenReader tokens) =>
        new(tokens.ReadName("next domain name"), TypeBitmap.ParseText(tokens));

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteName(NextName, compress: false);
        Types.WriteTo(ref writer);
    }

    public override string ToText()
    {
        string types = Types.ToText();
        return types.Length == 0 ? NextName.ToString() : NextName + " " + types;
    }
}
