namespace Resolver.Client.Tests;
public class SmokeTests { [Test] public void Builds() => Assert.Pass(); }
