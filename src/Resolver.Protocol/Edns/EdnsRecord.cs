using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Edns;

/// <summary>
/// The OPT pseudo-record (RFC 6891 §6.1): UDP payload size in CLASS, extended RCODE, version
/// and flags (DO, RFC 3225) in TTL, options in RDATA. The upper 8 bits of the RCODE are kept
/// on <see cref="DnsMessage.ResponseCode"/>, so a message has one RCODE to look at.
/// </summary>
public sealed class EdnsRecord
{
    public const ushort DefaultUdpPayloadSize = 1232;

    public ushort UdpPayloadSize { get; set; } = DefaultUdpPayloadSize;
    public byte Version { get; set; }
    public bool DnssecOk { get; set; }

    /// <summary>The 15 flag bits after DO, kept so a message round-trips.</summary>
    public ushort OtherFlags { get; set; }

    private List<EdnsOption>? _options;

    /// <summary>The options in message order; created on first use, so an OPT without options allocates no list.</summary>
    public List<EdnsOption> Options => _options ??= [];

    public T? Find<T>() where T : EdnsOption
    {
        if (_options is null)
            return null;
        foreach (var option in _options)
        {
            if (option is T found)
                return found;
        }
        return null;
    }

    /// <summary>Reads OPT's CLASS, TTL and RDATA; returns the upper 8 bits of the extended RCODE.</summary>
    internal static EdnsRecord Read(ref DnsReader reader, ushort udpSize, uint ttl, int rdataEnd, out byte extendedRcode)
    {
        extendedRcode = (byte)(ttl >> 24);
        var record = new EdnsRecord
        {
            UdpPayloadSize = udpSize,
            Version = (byte)(ttl >> 16),
            DnssecOk = (ttl & 0x8000) != 0,
            OtherFlags = (ushort)(ttl & 0x7FFF),
        };
        while (reader.Position < rdataEnd)
        {
            ushort code = reader.ReadUInt16();
            ushort length = reader.ReadUInt16();
            int optionEnd = reader.Position + length;
            if (optionEnd > rdataEnd)
                throw new DnsFormatException($"EDNS option {code} runs past the end of the OPT RDATA", reader.Position - 4);
            int savedEnd = reader.End;
            reader.End = optionEnd;
            record.Options.Add(EdnsOption.Read(code, ref reader, length));
            if (reader.Position != optionEnd)
                throw new DnsFormatException($"EDNS option {code} length disagrees with its content", reader.Position);
            reader.End = savedEnd;
        }
        return record;
    }

    /// <summary>Writes the whole OPT record (root owner, type 41) with the given upper RCODE bits.</summary>
    public void WriteTo(ref DnsWriter writer, byte extendedRcode)
    {
        writer.WriteByte(0);
        writer.WriteUInt16((ushort)RecordType.OPT);
        writer.WriteUInt16(UdpPayloadSize);
        uint ttl = ((uint)extendedRcode << 24) | ((uint)Version << 16) | (DnssecOk ? 0x8000u : 0) | (OtherFlags & 0x7FFFu);
        writer.WriteUInt32(ttl);
        WriteData(ref writer, _options);
    }

    /// <summary>Writes an OPT record's RDLENGTH and its options (RFC 6891 §6.1.2), for writers that write the rest themselves.</summary>
    public static void WriteData(ref DnsWriter writer, List<EdnsOption>? options)
    {
        int lengthAt = writer.ReserveUInt16();
        int start = writer.Position;
        if (options is not null)
        {
            foreach (var option in options)
            {
                writer.WriteUInt16(option.Code);
                int optionLengthAt = writer.ReserveUInt16();
                int optionStart = writer.Position;
                option.WriteData(ref writer);
                writer.PatchUInt16(optionLengthAt, (ushort)(writer.Position - optionStart));
            }
        }
        writer.PatchUInt16(lengthAt, (ushort)(writer.Position - start));
    }
}
