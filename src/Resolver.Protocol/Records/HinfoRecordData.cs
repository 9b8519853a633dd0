using System.Text;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>HINFO (RFC 1035 §3.3.2): CPU and OS as two character-strings (RFC 8482 reuses it for ANY).</summary>
public sealed class HinfoRecordData(byte[] cpu, byte[] os) : DnsRecordData
{
    public byte[] Cpu { get; } = cpu.Length <= 255 ? cpu : throw new ArgumentException("CPU longer than 255 octets", nameof(cpu));
    public byte[] Os { get; } = os.Length <= 255 ? os : throw new ArgumentException("OS longer than 255 octets", nameof(os));

    public static HinfoRecordData Read(ref DnsReader reader) => new(reader.ReadCharacterString(), reader.ReadCharacterString());

    internal static HinfoRecordData ParseText(RdataTokenReader tokens) =>
        new(tokens.ReadCharacterString("CPU"), tokens.ReadCharacterString("OS"));

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteCharacterString(Cpu);
        writer.WriteCharacterString(Os);
    }

    public override string ToText()
    {
        var builder = new StringBuilder();
        CharacterStringText.AppendQuoted(builder, Cpu);
        builder.Append(' ');
        CharacterStringText.AppendQuoted(builder, Os);
        return builder.ToString();
    }
}
