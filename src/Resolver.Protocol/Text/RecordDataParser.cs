using Resolver.Protocol.Records;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Text;

/// <summary>
/// Parses RDATA from its presentation tokens, for every type the codec models, plus the RFC 3597
/// §5 generic form "\# length hex" for any type. For a modelled type the generic octets are
/// decoded through the wire reader, so "\# 4 C0000201" for A gives the same ARecordData as "192.0.2.1".
/// Relative names are completed with <c>origin</c>.
/// </summary>
public static class RecordDataParser
{
    public static DnsRecordData Parse(RecordType type, IReadOnlyList<MasterToken> tokens, DnsName origin)
    {
        if (tokens.Count > 0 && !tokens[0].Quoted && tokens[0].Text == "\\#")
            return ParseGeneric(type, tokens);
        var reader = new RdataTokenReader(type, tokens, origin);
        var data = ParseTyped(type, reader);
        reader.EnsureEnd();
        return data;
    }

    /// <summary>Convenience for one line of RDATA text, e.g. <c>Parse(RecordType.MX, "10 mail", origin)</c>.</summary>
    public static DnsRecordData Parse(RecordType type, string text, DnsName origin) =>
        Parse(type, MasterTokenizer.TokenizeLine(text), origin);

    private static DnsRecordData ParseTyped(RecordType type, RdataTokenReader tokens) => type switch
    {
        RecordType.A => Rfc1035RdataParser.ParseA(tokens),
        RecordType.AAAA => Rfc1035RdataParser.ParseAaaa(tokens),
        RecordType.NS or RecordType.CNAME or RecordType.PTR or RecordType.DNAME => Rfc1035RdataParser.ParseName(tokens),
        RecordType.SOA => Rfc1035RdataParser.ParseSoa(tokens),
        RecordType.MX => Rfc1035RdataParser.ParseMx(tokens),
        RecordType.TXT => Rfc1035RdataParser.ParseTxt(tokens),
        RecordType.HINFO => HinfoRecordData.ParseText(tokens),
        RecordType.SRV => SrvRecordData.ParseText(tokens),
        RecordType.NAPTR => NaptrRecordData.ParseText(tokens),
        RecordType.CAA => CaaRecordData.ParseText(tokens),
        RecordType.SSHFP => SshfpRecordData.ParseText(tokens),
        RecordType.TLSA => TlsaRecordData.ParseText(tokens),
        RecordType.DS => DsRecordData.ParseText(tokens),
        RecordType.DNSKEY => DnskeyRecordData.ParseText(tokens),
        RecordType.RRSIG => RrsigRecordData.ParseText(tokens),
        RecordType.NSEC => NsecRecordData.ParseText(tokens),
        RecordType.NSEC3 => Nsec3RecordData.ParseText(tokens),
        RecordType.NSEC3PARAM => Nsec3ParamRecordData.ParseText(tokens),
        RecordType.SVCB or RecordType.HTTPS => SvcbRecordData.ParseText(tokens),
        _ => throw tokens.Error("type has no presentation form here; write its RDATA as \\# length hex (RFC 3597 §5)"),
    };

    private static DnsRecordData ParseGeneric(RecordType type, IReadOnlyList<MasterToken> tokens)
    {
        var rest = new List<string>(tokens.Count - 1);
        for (int i = 1; i < tokens.Count; i++)
            rest.Add(tokens[i].Text);
        byte[] data;
        try
        {
            data = GenericRdataText.Parse(rest);
        }
        catch (DnsFormatException e)
        {
            throw new DnsFormatException(Mnemonics.TypeToText(type) + ": " + e.Problem, 0);
        }
        try
        {
            var reader = new DnsReader(data);
            return RecordDataReader.Read(type, ref reader, data.Length);
        }
        catch (DnsFormatException e)
        {
            throw new DnsFormatException($"{Mnemonics.TypeToText(type)}: generic RDATA is not valid for the type: {e.Problem}", 0);
        }
    }
}
