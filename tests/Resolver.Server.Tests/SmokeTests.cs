namespace Resolver.Server.Tests;
public class SmokeTests { [Test] public void Builds() => Assert.Pass(); }
