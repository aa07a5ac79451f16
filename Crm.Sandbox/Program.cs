namespace Crm.Sandbox;

public static class SandboxProgram
{
    public static void Main(string[] args) => SandboxApp.Build(args).Run();
}
