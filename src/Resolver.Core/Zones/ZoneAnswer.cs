using Resolver.Protocol;

namespace Resolver.Core.Zones;

/// <summary>
/// Builds the authoritative answer for one question from the local zones, following RFC 1034
/// §4.3.2: the RRset, a CNAME chain followed within the local zones, NODATA or NXDOMAIN with
/// the zone's SOA (RFC 2308), wildcard synthesis (RFC 4592) and referrals at zone cuts.
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
            }

            var node = match.Node!;
            var owner = match.Kind == ZoneMatchKind.Wildcard ? name : null;
            if (AddData(answer, node, type, owner))
            {
                outcome = ZoneOutcome.Answer;
                return answer;
            }
            if (node.CnameTarget is null || type is RecordType.CNAME or RecordType.ANY)
            {
                // RFC 2308 §2.2 (NODATA): no records of the type at a name that exists.
                answer.Authorities.Add(zone.NegativeSoa);
                outcome = answer.Answers.Count == 0 ? ZoneOutcome.NoData : ZoneOutcome.Answer;
                return answer;
            }

            // RFC 1034 §4.3.2 step 3a: add the CNAME and look again for its target.
            Add(answer.Answers, node.Cname!, owner);
            chain ??= new DnsName[options.MaxCnameChain + 1];
            chain[step] = name;
            name = node.CnameTarget;
            var next = step + 1 < chain.Length && !Contains(chain, step, name) ? zones.FindZone(name) : null;
            if (next is null)
            {
                // Target outside the local zones, a loop, or a chain too long: the client (or a
                // resolver) follows the last CNAME itself (RFC 1034 §5.3.3).
                outcome = ZoneOutcome.Answer;
                return answer;
            }
            zone = next;
        }
    }

    /// <summary>Adds the RRset of <paramref name="type"/>; false when the name has none.</summary>
    private static bool AddData(DnsMessage answer, ZoneNode node, RecordType type, DnsName? owner)
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
