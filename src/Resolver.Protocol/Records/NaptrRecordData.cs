using System.Globalization;
using System.Text;
using Resolver.Protocol.Text;
using Resolver.Protocol.Wire;

namespace Resolver.Protocol.Records;

/// <summary>NAPTR (RFC 3403 §4.1): order, preference, flags, services, regexp, replacement.</summary>
public sealed class NaptrRecordData(ushort order, ushort preference, byte[] flags, byte[] services, byte[] regexp, DnsName replacement)
    : DnsRecordData
{
    public ushort Order { get; } = order;
    public ushort Preference { get; } = preference;
    public byte[] Flags { get; } = CheckLength(flags, nameof(flags));
    public byte[] Services { get; } = CheckLength(services, nameof(services));
    public byte[] Regexp { get; } = CheckLength(regexp, nameof(regexp));
    public DnsName Replacement { get; } = replacement;

    // RFC 3597 §4: receivers SHOULD decompress NAPTR names (old servers compressed them); we
    // never compress when writing.
    public static NaptrRecordData Read(ref DnsReader reader) => new(
        reader.ReadUInt16(), reader.ReadUInt16(), reader.ReadCharacterString(), reader.ReadCharacterString(),
        reader.ReadCharacterString(), reader.ReadName());

    internal static NaptrRecordData ParseText(RdataTokenReader tokens) => new(
        tokens.ReadUInt16("order"), tokens.ReadUInt16("preference"), tokens.ReadCharacterString("flags"),
        tokens.ReadCharacterString("services"), tokens.ReadCharacterString("regexp"), tokens.ReadName("replacement"));

    public override void WriteTo(ref DnsWriter writer)
    {
        writer.WriteUInt16(Order);
        writer.WriteUInt16(Preference);
        writer.WriteCharacterString(Flags);
        writer.WriteCharacterString(Services);
        writer.WriteCharacterString(Regexp);
        writer.WriteName(Replacement, compress: false);
    }

    public override string ToText()
    {
        var builder = new StringBuilder();
        builder.Append(Order.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Preference.ToString(CultureInfo.InvariantCulture)).Append(' ');
        CharacterStringText.AppendQuoted(builder, Flags);
        builder.Append(' ');
        CharacterStringText.AppendQuoted(builder, Services);
        builder.Append(' ');
        CharacterStringText.AppendQuoted(builder, Regexp);
        return builder.Append(' ').Append(Replacement.ToString()).ToString();
    }

    private static byte[] CheckLength(byte[] text, string name) =>
        text.Length <= 255 ? text : throw new ArgumentException("character-string longer than 255 octets", name);
}
