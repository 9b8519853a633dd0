using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>
/// Picks the RDATA parser for a type. The reader's window is exactly RDLENGTH octets; a parser
/// that leaves octets unread or needs more means the RDATA length disagrees with the content.
/// </summary>
public static class RecordDataReader
{
    public static DnsRecordData Read(RecordType type, ref DnsReader reader, int length)
    {
        int start = reader.Position;
        var data = ReadTyped(type, ref reader, length);
        if (reader.Position != start + length)
            throw new DnsFormatException($"{type} RDATA length {length} disagrees with its content ({reader.Position - start} octets used)", start);
        return data;
    }

    private static DnsRecordData ReadTyped(RecordType type, ref DnsReader reader, int length) => type switch
    {
        RecordType.A => ARecordData.Read(ref reader, length),
        RecordType.AAAA => AaaaRecordData.Read(ref reader, length),
        RecordType.NS or RecordType.CNAME or RecordType.PTR or RecordType.DNAME => NameRecordData.Read(type, ref reader),
        RecordType.SOA => SoaRecordData.Read(ref reader),
        RecordType.MX => MxRecordData.Read(ref reader),
        RecordType.TXT => TxtRecordData.Read(ref reader, length),
        RecordType.HINFO => HinfoRecordData.Read(ref reader),
        RecordType.SRV => SrvRecordData.Read(ref reader),
        RecordType.NAPTR => NaptrRecordData.Read(ref reader),
        RecordType.CAA => CaaRecordData.Read(ref reader, length),
        RecordType.SSHFP => SshfpRecordData.Read(ref reader, length),
        RecordType.TLSA => TlsaRecordData.Read(ref reader, length),
        RecordType.DS => DsRecordData.Read(ref reader, length),
        RecordType.DNSKEY => DnskeyRecordData.Read(ref reader, length),
        RecordType.RRSIG => RrsigRecordData.Read(ref reader, length),
        RecordType.NSEC => NsecRecordData.Read(ref reader),
        RecordType.NSEC3 => Nsec3RecordData.Read(ref reader),
        RecordType.NSEC3PARAM => Nsec3ParamRecordData.Read(ref reader),
        RecordType.SVCB or RecordType.HTTPS => SvcbRecordData.Read(type, ref reader),
        _ => UnknownRecordData.Read(ref reader, length),
    };
}
