using Crm.Sandbox;

var app = SandboxApp.Build(args);
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
