using System.Net;
using System.Net.Sockets;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>AAAA: an IPv6 address (RFC 3596).</summary>
public sealed class AaaaRecordData(IPAddress address) : DnsRecordData
{
    public IPAddress Address { get; } = address.AddressFamily == AddressFamily.InterNetworkV6
        ? address
        : throw new ArgumentException("AAAA needs an IPv6 address", nameof(address));

    public static AaaaRecordData Read(ref DnsReader reader, int length)
    {
        if (length != 16)
            throw new DnsFormatException($"AAAA RDATA must be 16 octets, not {length}", reader.Position);
        return new AaaaRecordData(new IPAddress(reader.ReadSpan(16)));
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        Span<byte> bytes = stackalloc byte[16];
        Address.TryWriteBytes(bytes, out _);
        writer.WriteBytes(bytes);
    }

    public override string ToText() => Address.ToString();
}
