using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>RDATA of a type the codec does not model, kept as opaque octets (RFC 3597 §5: "\# len hex").</summary>
public sealed class UnknownRecordData(byte[] data) : DnsRecordData
{
    public byte[] Data { get; } = data;

    public static UnknownRecordData Read(ref DnsReader reader, int length) => new(reader.ReadBytes(length, "RDATA"));

    public override void WriteTo(ref DnsWriter writer) => writer.WriteBytes(Data);

    public override string ToText() => GenericRdataText.Format(Data);
}
