using System.Net;
using System.Net.Sockets;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>A: an IPv4 address (RFC 1035 §3.4.1).</summary>
public sealed class ARecordData(IPAddress address) : DnsRecordData
{
    public IPAddress Address { get; } = address.AddressFamily == AddressFamily.InterNetwork
        ? address
        : throw new ArgumentException("A needs an IPv4 address", nameof(address));

    public static ARecordData Read(ref DnsReader reader, int length)
    {
        if (length != 4)
            throw new DnsFormatException($"A RDATA must be 4 octets, not {length}", reader.Position);
        return new ARecordData(new IPAddress(reader.ReadSpan(4)));
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        Span<byte> bytes = stackalloc byte[4];
        Address.TryWriteBytes(bytes, out _);
        writer.WriteBytes(bytes);
    }

    public override string ToText() => Address.ToString();
}
