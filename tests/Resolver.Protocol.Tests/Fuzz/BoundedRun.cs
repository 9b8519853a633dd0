namespace Resolver.Protocol.Tests.Fuzz;

/// <summary>
/// Runs a fuzz loop on a background thread and fails the test if it does not finish in a
/// generous time: a codec that loops forever on some input must fail, not hang the suite.
/// </summary>
public static class BoundedRun
{
    public static void Within(TimeSpan limit, Action body)
    {
        var run = Task.Run(body);
        bool finished = run.Wait(limit);
        Assert.That(finished, Is.True, $"fuzz loop did not finish within {limit.TotalSeconds} s (a hang?)");
        run.GetAwaiter().GetResult();
    }
}
