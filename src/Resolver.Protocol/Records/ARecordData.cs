using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>A: an IPv4 address (RFC 1035 §3.4.1).</summary>
/// <remarks>
/// Kept as the four wire octets; the <see cref="IPAddress"/> is made on first use of
/// <see cref="Address"/>. A parsed answer is often only stored or copied as wire bytes, and an
/// IPAddress per record was the largest allocation of a parse.
/// </remarks>
public sealed class ARecordData : DnsRecordData
{
    /// <summary>The octets in network order, as they sit in memory (what IPAddress(long) expects).</summary>
    private readonly uint _octets;
    private IPAddress? _address;

    public ARecordData(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("A needs an IPv4 address", nameof(address));
        Span<byte> octets = stackalloc byte[4];
        address.TryWriteBytes(octets, out _);
        _octets = MemoryMarshal.Read<uint>(octets);
        _address = address;
    }

    private ARecordData(ReadOnlySpan<byte> octets) => _octets = MemoryMarshal.Read<uint>(octets);

    // A lost race makes two equal IPAddress objects; either is correct.
    public IPAddress Address => _address ??= new IPAddress(_octets);

    public static ARecordData Read(ref DnsReader reader, int length)
    {
        if (length != 4)
            throw new DnsFormatException($"A RDATA must be 4 octets, not {length}", reader.Position);
        return new ARecordData(reader.ReadSpan(4));
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        uint octets = _octets;
        writer.WriteBytes(MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in octets)));
    }

    public override string ToText() => Address.ToString();
}
