using Resolver.Protocol;

namespace Resolver.Core.Zones;

/// <summary>
/// Builds the authoritative answer for one question from the local zones, following RFC 1034
/// §4.3.2: the RRset, a CNAME chain followed within the local zones, NODATA or NXDOMAIN with
/// the zone's SOA (RFC 2308), wildcard synthesis (RFC 4592), DNAME redirection (RFC 6672) and
/// referrals at zone cuts.
/// </summary>
internal static class ZoneAnswer
{
    /// <summary>
    /// The answer for <paramref name="name"/> (inside <paramref name="zone"/>), or null when the
    /// name lies at or below a zone cut and referrals are not answered (the next stage forwards it).
    /// </summary>
    public static DnsMessage? Build(ZoneSet zones, Zone zone, DnsName name, RecordType type, LocalZoneOptions options, out string outcome)
    {
        var answer = new DnsMessage { AuthoritativeAnswer = true };
        DnsName[]? chain = null;
        for (int step = 0; ; step++)
        {
            var match = zone.Match(name, type);
            DnsName? next;
            switch (match.Kind)
            {
                case ZoneMatchKind.NameError:
                    // RFC 6604 §3: the RCODE describes the last name of the chain.
                    answer.ResponseCode = DnsResponseCode.NXDomain;
                    answer.Authorities.Add(zone.NegativeSoa);
                    outcome = ZoneOutcome.NameError;
                    return answer;
                case ZoneMatchKind.Delegation:
                    if (!options.AnswerReferrals)
                    {
                        // The delegated zone's data lives elsewhere: the forwarder asks for it. After
                        // a CNAME, the chain so far is the answer and the client follows its last
                        // target (RFC 1034 §5.3.3), as for a target outside the local zones.
                        outcome = step == 0 ? ZoneOutcome.Referral : ZoneOutcome.Answer;
                        return step == 0 ? null : answer;
                    }
                    AddReferral(answer, match.Node!, step == 0);
                    outcome = ZoneOutcome.Referral;
                    return answer;
                case ZoneMatchKind.Dname:
                    next = FollowDname(answer, match.Node!, name, type, out outcome);
                    break;
                default:
                    next = AnswerAtNode(answer, zones, zone, match, name, type, out outcome);
                    break;
            }
            if (next is null)
                return answer;

            // The same bound and loop check for CNAMEs from the zone and CNAMEs synthesized from a
            // DNAME: each name once, at most MaxCnameChain of them.
            chain ??= new DnsName[options.MaxCnameChain + 1];
            chain[step] = name;
            name = next;
            var nextZone = step + 1 < chain.Length && !Contains(chain, step, name) ? zones.FindZone(name) : null;
            if (nextZone is null)
            {
                // Target outside the local zones, a loop, or a chain too long: the client (or a
                // resolver) follows the last CNAME itself (RFC 1034 §5.3.3).
                outcome = ZoneOutcome.Answer;
                return answer;
            }
            zone = nextZone;
        }
    }

    /// <summary>
    /// Answers at a name that exists (or a wildcard's synthesis): its RRset, NODATA, or its CNAME.
    /// Returns the CNAME's target to look up next, or null when the answer is complete.
    /// </summary>
    private static DnsName? AnswerAtNode(DnsMessage answer, ZoneSet zones, Zone zone, ZoneMatch match, DnsName name, RecordType type, out string outcome)
    {
        var node = match.Node!;
        var owner = match.Kind == ZoneMatchKind.Wildcard ? name : null;
        outcome = ZoneOutcome.Answer;
        if (AddData(answer, zones, node, type, owner))
            return null;
        if (node.CnameTarget is null || type is RecordType.CNAME or RecordType.ANY)
        {
            // RFC 2308 §2.2 (NODATA): no records of the type at a name that exists.
            answer.Authorities.Add(zone.NegativeSoa);
            outcome = answer.Answers.Count == 0 ? ZoneOutcome.NoData : ZoneOutcome.Answer;
            return null;
        }
        // RFC 1034 §4.3.2 step 3a: add the CNAME and look again for its target.
        Add(answer.Answers, node.Cname!, owner);
        return node.CnameTarget;
    }

    /// <summary>
    /// RFC 6672 §3.2 step 3c: the DNAME, then a CNAME synthesized from it, then the substituted
    /// name is looked up from step 1 (the caller does that). Returns the substituted name, or null
    /// when the answer is complete: YXDOMAIN when the name would exceed 255 octets (RFC 6672 §2.2),
    /// or a CNAME or ANY question, which the synthesized CNAME answers as a CNAME in the zone would.
    /// </summary>
    private static DnsName? FollowDname(DnsMessage answer, ZoneNode owner, DnsName name, RecordType type, out string outcome)
    {
        var dname = DnameSubstitution.Record(owner);
        answer.Answers.Add(dname);
        var target = DnameSubstitution.Substitute(name, owner);
        if (target is null)
        {
            answer.ResponseCode = DnsResponseCode.YXDomain;
            outcome = ZoneOutcome.NameTooLong;
            return null;
        }
        answer.Answers.Add(DnameSubstitution.SynthesizeCname(name, target, dname));
        outcome = ZoneOutcome.Answer;
        return type is RecordType.CNAME or RecordType.ANY ? null : target;
    }

    /// <summary>Adds the RRset of <paramref name="type"/>; false when the name has none.</summary>
    private static bool AddData(DnsMessage answer, ZoneSet zones, ZoneNode node, RecordType type, DnsName? owner)
    {
        RecordSet? set;
        if (type == RecordType.ANY)
        {
            // RFC 8482 §4.2: answer ANY with one RRset of the name rather than all of them.
            // We give the first RRset the zone file wrote for the name (the CNAME at an alias).
            set = node.Sets.Count > 0 ? node.Sets[0] : null;
        }
        else
        {
            set = node.Find(type);
        }
        if (set is null)
            return false;
        Add(answer.Answers, set, owner);
        AdditionalAddresses.AddFor(answer, zones, set);
        return true;
    }

    // RFC 1034 §4.3.2 step 3b: the NS RRset of the cut in authority, addresses of the servers in additional.
    private static void AddReferral(DnsMessage answer, ZoneNode cut, bool first)
    {
        // A referral is not authoritative data; a CNAME before it was, so AA stays set then (RFC 1034 §6.2.6).
        answer.AuthoritativeAnswer = !first;
        cut.Delegation!.AddTo(answer.Authorities);
        foreach (var glue in cut.Glue)
            answer.Additionals.Add(glue);
    }

    private static void Add(List<DnsRecord> section, RecordSet set, DnsName? owner)
    {
        if (owner is null)
            set.AddTo(section);
        else
            set.AddTo(section, owner);
    }

    private static bool Contains(DnsName[] chain, int last, DnsName name)
    {
        for (int i = 0; i <= last; i++)
        {
            if (chain[i].Equals(name))
                return true;
        }
        return false;
    }
}
