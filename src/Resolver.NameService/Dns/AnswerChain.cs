using Resolver.Protocol;
using Resolver.Protocol.Records;

namespace Resolver.NameService;

/// <summary>
/// What an answer section says about one question: the CNAME chain from the asked name
/// (RFC 1034 §3.6.2: a server returns the CNAME and then the records of its target), and the
/// records of the asked type owned by the chain's end. Records owned by any other name are
/// ignored, as glibc's getanswer_r ignores them.
/// </summary>
internal sealed class AnswerChain
{
    /// <summary>Longer chains are treated as loops; glibc's answer buffer bounds them similarly.</summary>
    internal const int MaxLinks = 16;

    private AnswerChain(DnsName end, List<DnsName> aliases, List<DnsRecord> records)
    {
        End = end;
        Aliases = aliases;
        Records = records;
    }

    /// <summary>The name the records belong to: the asked name, or the last CNAME target.</summary>
    public DnsName End { get; }

    /// <summary>Owners of the CNAME records followed, in chain order.</summary>
    public List<DnsName> Aliases { get; }

    /// <summary>Records of the asked type and class IN owned by <see cref="End"/>, in answer order.</summary>
    public List<DnsRecord> Records { get; }

    public static AnswerChain Follow(DnsMessage response, DnsName name, RecordType type)
    {
        var aliases = new List<DnsName>();
        DnsName current = name;
        for (int link = 0; link < MaxLinks; link++)
        {
            DnsName? target = CnameTarget(response, current);
            if (target is null) break;
            aliases.Add(current);
            current = target;
        }
        var records = new List<DnsRecord>();
        foreach (DnsRecord record in response.Answers)
        {
            if (record.Type == type && record.Class == RecordClass.IN && record.Name == current)
                records.Add(record);
        }
        // The owner's spelling as the server wrote it, like glibc's h_name.
        return new AnswerChain(records.Count > 0 ? records[0].Name : current, aliases, records);
    }

    private static DnsName? CnameTarget(DnsMessage response, DnsName owner)
    {
        foreach (DnsRecord record in response.Answers)
        {
            if (record.Type == RecordType.CNAME && record.Class == RecordClass.IN && record.Name == owner
                && record.Data is NameRecordData cname)
                return cname.Target;
        }
        return null;
    }

    /// <summary>Presentation form without the trailing dot ("." stays "."), as getaddrinfo reports names.</summary>
    public static string Text(DnsName name)
    {
        string text = name.ToString();
        return text.Length > 1 && text.EndsWith('.') ? text[..^1] : text;
    }
}
