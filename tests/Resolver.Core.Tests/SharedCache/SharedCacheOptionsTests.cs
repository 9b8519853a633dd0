using Resolver.Core.SharedCache;

namespace Resolver.Core.Tests.SharedCache;

public sealed class SharedCacheOptionsTests
{
    [Test]
    public void Off_by_default_and_then_nothing_is_checked() =>
        Assert.That(new SharedCacheOptions { ReadBudget = TimeSpan.Zero }.Validate(), Is.Empty);

    [Test]
    public void Every_bad_setting_is_named_by_its_key_when_enabled()
    {
        var errors = new SharedCacheOptions
        {
            Enabled = true,
            Redis = " ",
            ReadBudget = TimeSpan.Zero,
            WriteQueueCapacity = 0,
            CircuitFailures = 0,
            CircuitCoolDown = TimeSpan.Zero,
            CommandTimeout = TimeSpan.FromMilliseconds(1),
        }.Validate();
        Assert.That(errors, Has.Count.EqualTo(6));
        foreach (string key in new[] { "Redis", "ReadBudget", "WriteQueueCapacity", "CircuitFailures", "CircuitCoolDown", "CommandTimeout" })
            Assert.That(errors, Has.Some.StartsWith("Resolver:SharedCache:" + key + " "), key);
    }

    [Test]
    public void The_defaults_with_a_server_are_valid() =>
        Assert.That(new SharedCacheOptions { Enabled = true, Redis = "127.0.0.1:6379" }.Validate(), Is.Empty);
}
