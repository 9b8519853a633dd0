using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>AAAA: an IPv6 address (RFC 3596).</summary>
/// <remarks>
/// Kept as the sixteen wire octets inline; the <see cref="IPAddress"/> (an object plus an
/// array) is made on first use of <see cref="Address"/>, as for <see cref="ARecordData"/>.
/// </remarks>
public sealed class AaaaRecordData : DnsRecordData
{
    private readonly Octets _octets;
    private IPAddress? _address;

    public AaaaRecordData(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException("AAAA needs an IPv6 address", nameof(address));
        address.TryWriteBytes(_octets, out _);
        _address = address;
    }

    private AaaaRecordData(ReadOnlySpan<byte> octets) => octets.CopyTo(_octets);

    // A lost race makes two equal IPAddress objects; either is correct.
    public IPAddress Address => _address ??= new IPAddress((ReadOnlySpan<byte>)_octets);

    public static AaaaRecordData Read(ref DnsReader reader, int length)
    {
        if (length != 16)
            throw new DnsFormatException($"AAAA RDATA must be 16 octets, not {length}", reader.Position);
        return new AaaaRecordData(reader.ReadSpan(16));
    }

    public override void WriteTo(ref DnsWriter writer) => writer.WriteBytes(_octets);

    public override string ToText() => Address.ToString();

    [InlineArray(16)]
    private struct Octets
    {
        private byte _element;
    }
}
