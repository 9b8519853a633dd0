using System.Buffers.Binary;
using System.Net;

namespace Resolver.Core.Admission;

/// <summary>
/// The access list in force: rules ordered longest prefix first, so the first rule that covers
/// a client is the most specific one. Deciding allocates nothing.
/// </summary>
public sealed class AccessControlList
{
    private readonly AccessRule[] _rules;

    public AccessControlList(AccessControlOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new FormatException(string.Join(Environment.NewLine, errors));
        var rules = new List<AccessRule>();
        if (options.UseBuiltInRules)
        {
            foreach (var text in AccessControlOptions.BuiltInRules)
                Put(rules, AccessRule.Parse(text));
        }
        foreach (var text in options.Rules)
            Put(rules, AccessRule.Parse(text));
        // Ranges of one length are either the same (merged by Put) or disjoint, so their order does not matter.
        var ordered = new AccessRule[rules.Count];
        rules.CopyTo(ordered);
        var keys = new int[ordered.Length];
        for (int i = 0; i < keys.Length; i++)
            keys[i] = -ordered[i].Prefix.Specificity;
        Array.Sort(keys, ordered);
        _rules = ordered;
        DefaultAction = options.DefaultAction;
    }

    public AccessAction DefaultAction { get; }

    /// <summary>The rules in the order they are tried (longest prefix first).</summary>
    public IReadOnlyList<AccessRule> Rules => _rules;

    public AccessAction Decide(IPAddress client)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!AddressPrefix.ToMapped(client, bytes))
            return DefaultAction;
        ulong high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        bool isIPv4 = AddressPrefix.IsMappedIPv4(bytes);
        foreach (var rule in _rules)
        {
            if (rule.Prefix.Matches(high, low, isIPv4))
                return rule.Action;
        }
        return DefaultAction;
    }

    private static void Put(List<AccessRule> rules, AccessRule rule)
    {
        for (int i = 0; i < rules.Count; i++)
        {
            if (rules[i].Prefix.SameRange(rule.Prefix))
            {
                rules[i] = rule;
                return;
            }
        }
        rules.Add(rule);
    }
}
