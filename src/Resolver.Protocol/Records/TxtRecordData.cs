using System.Text;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>TXT (RFC 1035 §3.3.14): one or more character-strings, each kept as raw octets.</summary>
public sealed class TxtRecordData : DnsRecordData
{
    public TxtRecordData(IReadOnlyList<byte[]> strings)
    {
        if (strings.Count == 0)
            throw new ArgumentException("TXT needs at least one character-string", nameof(strings));
        Strings = strings;
    }

    public IReadOnlyList<byte[]> Strings { get; }

    public static TxtRecordData Read(ref DnsReader reader, int length)
    {
        if (length == 0)
            throw new DnsFormatException("TXT RDATA is empty", reader.Position);
        var strings = new List<byte[]>();
        while (reader.Remaining > 0)
            strings.Add(reader.ReadCharacterString());
        return new TxtRecordData(strings);
    }

    public override void WriteTo(ref DnsWriter writer)
    {
        foreach (var text in Strings)
            writer.WriteCharacterString(text);
    }

    public override string ToText()
    {
        var builder = new StringBuilder();
        for (int i = 0; i < Strings.Count; i++)
        {
            if (i > 0)
                builder.Append(' ');
            CharacterStringText.AppendQuoted(builder, Strings[i]);
        }
        return builder.ToString();
    }
}
