namespace Resolver.NameService.Tests;

public class SearchListTests
{
    private static readonly string[] Search = { "a.example", "b.example" };

    private static string[] Names(string name, int ndots, string[]? search = null, bool noTld = false) =>
        SearchListExpander.Expand(name, search ?? Search, ndots, noTld).Select(c => c.AbsoluteName).ToArray();

    [Test]
    public void A_name_with_fewer_dots_than_ndots_tries_search_domains_first() =>
        Assert.That(Names("www", 1), Is.EqualTo(new[] { "www.a.example.", "www.b.example.", "www." }));

    [Test]
    public void A_name_with_at_least_ndots_dots_is_tried_as_is_first() =>
        Assert.That(Names("www.corp", 1), Is.EqualTo(new[] { "www.corp.", "www.corp.a.example.", "www.corp.b.example." }));

    [Test]
    public void Ndots_decides_the_order() =>
        Assert.That(Names("www.corp", 2), Is.EqualTo(new[] { "www.corp.a.example.", "www.corp.b.example.", "www.corp." }));

    [Test]
    public void A_trailing_dot_means_only_the_name_itself() =>
        Assert.That(Names("www.", 1), Is.EqualTo(new[] { "www." }));

    [Test]
    public void A_root_search_domain_stands_for_the_name_as_is() =>
        Assert.That(Names("www", 1, new[] { "a.example", "." }), Is.EqualTo(new[] { "www.a.example.", "www." }));

    [Test]
    public void No_tld_query_never_asks_a_dotless_name_as_is()
    {
        Assert.That(Names("www", 1, noTld: true), Is.EqualTo(new[] { "www.a.example.", "www.b.example." }));
        Assert.That(Names("www", 1, Array.Empty<string>(), noTld: true), Is.EqualTo(new[] { "www." }));
    }

    private static (DnsLookupOutcome Outcome, List<string> Asked) Walk(string name, int ndots, Dictionary<string, DnsLookupOutcome> answers)
    {
        var walk = new SearchWalk(SearchListExpander.Expand(name, Search, ndots));
        var asked = new List<string>();
        while (walk.Next() is SearchCandidate c)
        {
            asked.Add(c.AbsoluteName);
            walk.Record(c, answers.GetValueOrDefault(c.AbsoluteName, DnsLookupOutcome.NxDomain));
        }
        return (walk.Outcome, asked);
    }

    [Test]
    public void Nxdomain_everywhere_is_nxdomain_after_trying_every_name()
    {
        var (outcome, asked) = Walk("www", 1, new());
        Assert.That(outcome, Is.EqualTo(DnsLookupOutcome.NxDomain));
        Assert.That(asked, Has.Count.EqualTo(3));
    }

    [Test]
    public void The_walk_stops_at_the_first_success()
    {
        var (outcome, asked) = Walk("www", 1, new() { ["www.a.example."] = DnsLookupOutcome.Success });
        Assert.That(outcome, Is.EqualTo(DnsLookupOutcome.Success));
        Assert.That(asked, Is.EqualTo(new[] { "www.a.example." }));
    }

    [Test]
    public void Nodata_under_a_search_domain_keeps_searching_and_is_reported_over_nxdomain()
    {
        var (outcome, asked) = Walk("www", 1, new() { ["www.a.example."] = DnsLookupOutcome.NoData });
        Assert.That(asked, Has.Count.EqualTo(3));
        Assert.That(outcome, Is.EqualTo(DnsLookupOutcome.NoData));
    }

    [Test]
    public void Servfail_keeps_searching_and_is_reported_when_nothing_else_was_found()
    {
        var (outcome, asked) = Walk("www", 1, new() { ["www.a.example."] = DnsLookupOutcome.ServerFailure });
        Assert.That(asked, Has.Count.EqualTo(3));
        Assert.That(outcome, Is.EqualTo(DnsLookupOutcome.ServerFailure));
    }

    [Test]
    public void A_timeout_ends_the_search_domains_but_the_name_as_is_is_still_tried()
    {
        var (outcome, asked) = Walk("www", 1, new() { ["www.a.example."] = DnsLookupOutcome.TryAgain });
        Assert.That(asked, Is.EqualTo(new[] { "www.a.example.", "www." }));
        Assert.That(outcome, Is.EqualTo(DnsLookupOutcome.NxDomain), "the last answer is reported");
    }

    [Test]
    public void The_as_is_first_answer_is_the_one_reported_on_failure()
    {
        var (outcome, _) = Walk("www.corp", 1, new() { ["www.corp."] = DnsLookupOutcome.NoData, ["www.corp.b.example."] = DnsLookupOutcome.ServerFailure });
        Assert.That(outcome, Is.EqualTo(DnsLookupOutcome.NoData));
    }
}
