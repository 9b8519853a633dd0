namespace Resolver.Protocol;

/// <summary>One entry of the question section (RFC 1035 §4.1.2).</summary>
public sealed record DnsQuestion(DnsName Name, RecordType Type, RecordClass Class = RecordClass.IN)
{
    public override string ToString() =>
        $";{Name}\t\t{Text.Mnemonics.ClassToText(Class)}\t{Text.Mnemonics.TypeToText(Type)}";
}
