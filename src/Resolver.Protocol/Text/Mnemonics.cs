using System.Globalization;

namespace Resolver.Protocol.Text;

/// <summary>
/// Text names of types, classes, opcodes and rcodes as dig prints them; unknown values use the
/// RFC 3597 §5 forms TYPEnnn and CLASSnnn.
/// </summary>
public static class Mnemonics
{
    public static string TypeToText(RecordType type) =>
        Enum.IsDefined(type) ? type.ToString() : "TYPE" + ((ushort)type).ToString(CultureInfo.InvariantCulture);

    public static string ClassToText(RecordClass recordClass) =>
        Enum.IsDefined(recordClass) ? recordClass.ToString() : "CLASS" + ((ushort)recordClass).ToString(CultureInfo.InvariantCulture);

    public static bool TryParseType(string text, out RecordType type)
    {
        if (text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            type = (RecordType)number;
            return true;
        }
        // Enum.TryParse would accept numbers ("1") and comma lists; the master-file form is a mnemonic only.
        if (text.Length > 0 && char.IsLetter(text[0]) && Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type))
            return true;
        type = default;
        return false;
    }

    public static bool TryParseClass(string text, out RecordClass recordClass)
    {
        if (text.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            recordClass = (RecordClass)number;
            return true;
        }
        if (text.Length > 0 && char.IsLetter(text[0]) && Enum.TryParse(text, ignoreCase: true, out recordClass) && Enum.IsDefined(recordClass))
            return true;
        recordClass = default;
        return false;
    }

    public static string OpcodeToText(DnsOpcode opcode) => opcode switch
    {
        DnsOpcode.Query => "QUERY",
        DnsOpcode.IQuery => "IQUERY",
        DnsOpcode.Status => "STATUS",
        DnsOpcode.Notify => "NOTIFY",
        DnsOpcode.Update => "UPDATE",
        _ => "RESERVED" + ((byte)opcode).ToString(CultureInfo.InvariantCulture),
    };

    public static string ResponseCodeToText(DnsResponseCode code) => code switch
    {
        DnsResponseCode.NoError => "NOERROR",
        DnsResponseCode.FormErr => "FORMERR",
        DnsResponseCode.ServFail => "SERVFAIL",
        DnsResponseCode.NXDomain => "NXDOMAIN",
        DnsResponseCode.NotImp => "NOTIMP",
        DnsResponseCode.Refused => "REFUSED",
        DnsResponseCode.YXDomain => "YXDOMAIN",
        DnsResponseCode.YXRRSet => "YXRRSET",
        DnsResponseCode.NXRRSet => "NXRRSET",
        DnsResponseCode.NotAuth => "NOTAUTH",
        DnsResponseCode.NotZone => "NOTZONE",
        DnsResponseCode.BadVers => "BADVERS",
        DnsResponseCode.BadCookie => "BADCOOKIE",
        _ => "RESERVED" + ((ushort)code).ToString(CultureInfo.InvariantCulture),
    };
}
