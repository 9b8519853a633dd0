using System.Net;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Edns;

/// <summary>EDNS Client Subnet (RFC 7871 §6): family, source and scope prefix, truncated address.</summary>
public sealed class ClientSubnetOption(ushort family, byte sourcePrefixLength, byte scopePrefixLength, byte[] addressPrefix) : EdnsOption
{
    public override ushort Code => (ushort)EdnsOptionCode.ClientSubnet;
    public ushort Family { get; } = family;
    public byte SourcePrefixLength { get; } = sourcePrefixLength;
    public byte ScopePrefixLength { get; } = scopePrefixLength;

    /// <summary>The address truncated to ceil(source prefix / 8) octets, as on the wire.</summary>
    public byte[] AddressPrefix { get; } = addressPrefix;

    public static ClientSubnetOption Read(ref DnsReader reader, int length)
    {
        int start = reader.Position;
        if (length < 4)
            throw new DnsFormatException("client subnet option shorter than 4 octets", start);
        ushort family = reader.ReadUInt16();
        byte source = reader.ReadByte();
        byte scope = reader.ReadByte();
        int maxBits = family switch
        {
            1 => 32,
            2 => 128,
            _ => throw new DnsFormatException($"client subnet family {family} is not 1 or 2", start),
        };
        if (source > maxBits || scope > maxBits)
            throw new DnsFormatException("client subnet prefix longer than the address", start + 2);
        // RFC 7871 §6: ADDRESS is exactly ceil(SOURCE PREFIX-LENGTH / 8) octets.
        int addressLength = (source + 7) / 8;
        if (length - 4 != addressLength)
            throw new DnsFormatException($"client subnet address is {length - 4} octets, prefix /{source} needs {addressLength}", start + 4);
        return new ClientSubnetOption(family, source, scope, reader.ReadBytes(addressLength, "client subnet address"));
    }

    public override void WriteData(ref DnsWriter writer)
    {
        writer.WriteUInt16(Family);
        writer.WriteByte(SourcePrefixLength);
        writer.WriteByte(ScopePrefixLength);
        writer.WriteBytes(AddressPrefix);
    }

    public override string ToString()
    {
        var full = new byte[Family == 1 ? 4 : 16];
        AddressPrefix.AsSpan(0, Math.Min(AddressPrefix.Length, full.Length)).CopyTo(full);
        return $"CLIENT-SUBNET: {new IPAddress(full)}/{SourcePrefixLength}/{ScopePrefixLength}";
    }
}
