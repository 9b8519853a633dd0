using System.Net.Sockets;
using Resolver.Protocol.Records;

namespace Resolver.Protocol.Text;

/// <summary>Presentation forms of the RFC 1035-era types the codec modelled first (A, AAAA, names, SOA, MX, TXT).</summary>
internal static class Rfc1035RdataParser
{
    public static ARecordData ParseA(RdataTokenReader tokens) => new(tokens.ReadAddress(AddressFamily.InterNetwork, "address"));

    public static AaaaRecordData ParseAaaa(RdataTokenReader tokens) => new(tokens.ReadAddress(AddressFamily.InterNetworkV6, "address"));

    public static NameRecordData ParseName(RdataTokenReader tokens) => new(tokens.Type, tokens.ReadName("target"));

    public static MxRecordData ParseMx(RdataTokenReader tokens) => new(tokens.ReadUInt16("preference"), tokens.ReadName("exchange"));

    public static SoaRecordData ParseSoa(RdataTokenReader tokens) => new(
        tokens.ReadName("primary server"), tokens.ReadName("responsible mailbox"), tokens.ReadUInt32("serial"),
        ReadTimer(tokens, "refresh"), ReadTimer(tokens, "retry"), ReadTimer(tokens, "expire"), ReadTimer(tokens, "minimum"));

    public static TxtRecordData ParseTxt(RdataTokenReader tokens)
    {
        var strings = new List<byte[]>();
        do
            strings.Add(tokens.ReadCharacterString("character-string"));
        while (!tokens.AtEnd);
        return new TxtRecordData(strings);
    }

    // BIND accepts TTL-style units in the SOA timers ("1h", "2w"); so do we.
    private static uint ReadTimer(RdataTokenReader tokens, string field)
    {
        var token = tokens.Next(field);
        if (token.Quoted || !TtlText.TryParse(token.Text, out uint seconds))
            throw tokens.Error($"{field} '{token.Text}' is not a number of seconds");
        return seconds;
    }
}
