using Resolver.Core.Zones;
using Resolver.Protocol;
using static Resolver.Core.Tests.Zones.ZoneRecords;

namespace Resolver.Core.Tests.Zones;

/// <summary>Zones with DNAME records (RFC 6672), beside <see cref="ZoneRecords.Example"/> and <see cref="ZoneRecords.Other"/>.</summary>
internal static class DnameZones
{
    /// <summary>A target of 207 octets in wire form: a name below "long" with a 47-octet label becomes exactly 255.</summary>
    public static readonly string LongTarget = new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 63) + ".redirect.test.";

    /// <summary>
    /// redirect.test.: a DNAME below the apex (legacy → modern, TTL 600) with other data at its
    /// owner and a record hidden below it, DNAMEs into another local zone and out of the local
    /// zones, a DNAME loop, a DNAME into its own subtree, one with a long target, and a CNAME into a DNAME.
    /// </summary>
    public static Zone Redirect()
    {
        var zone = new ZoneBuilder(DnsName.Parse("redirect.test."), "zones/redirect.test.zone");
        zone.Add(Soa("redirect.test."));
        zone.Add(Record("redirect.test.", Ns("ns1.redirect.test.")));
        zone.Add(Record("ns1.redirect.test.", A("192.0.2.53")));
        zone.Add(Record("Legacy.redirect.test.", Dname("Modern.redirect.test."), ttl: 600));
        zone.Add(Record("legacy.redirect.test.", Txt("owner data")));
        // RFC 6672 §2.3 forbids this; written anyway, it must stay hidden behind the DNAME.
        zone.Add(Record("hidden.legacy.redirect.test.", A("192.0.2.66")));
        zone.Add(Record("host.modern.redirect.test.", A("192.0.2.90")));
        zone.Add(Record("alias.modern.redirect.test.", Cname("host.modern.redirect.test.")));
        zone.Add(Record("via.redirect.test.", Cname("host.legacy.redirect.test.")));
        zone.Add(Record("out.redirect.test.", Dname("example.test.")));
        zone.Add(Record("far.redirect.test.", Dname("elsewhere.example.")));
        zone.Add(Record("loop-a.redirect.test.", Dname("loop-b.redirect.test.")));
        zone.Add(Record("loop-b.redirect.test.", Dname("loop-a.redirect.test.")));
        zone.Add(Record("grow.redirect.test.", Dname("x.grow.redirect.test.")));
        zone.Add(Record("long.redirect.test.", Dname(LongTarget)));
        return zone.Build();
    }

    /// <summary>renamed.test.: a DNAME at the apex (to modern.redirect.test.), which redirects every name below the apex.</summary>
    public static Zone RenamedApex()
    {
        var zone = new ZoneBuilder(DnsName.Parse("renamed.test."), "zones/renamed.test.zone");
        zone.Add(Soa("renamed.test."));
        zone.Add(Record("renamed.test.", Ns("ns1.redirect.test.")));
        zone.Add(Record("renamed.test.", Dname("modern.redirect.test."), ttl: 120));
        return zone.Build();
    }

    public static ZoneSet Set() => new([ZoneRecords.Example(), ZoneRecords.Other(), Redirect(), RenamedApex()]);
}
