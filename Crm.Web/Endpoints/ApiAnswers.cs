namespace Crm.Web.Endpoints;

// Small answers of single actions, named so that each has its own schema in the OpenAPI document (anonymous types of
// the same shape shared one schema name, so a client read one action's answer with another's fields).

/// <param name="Dismissed">The dismissed pairs' ids, to reopen them.</param>
public sealed record DismissedPairs(IReadOnlyList<long> Dismissed);

/// <param name="Reopened">How many pairs wait for review again.</param>
public sealed record ReopenedPairs(int Reopened);

/// <param name="LoggingAddress">The new BCC address for logging email; the old one stops working.</param>
public sealed record LoggingAddressAnswer(string LoggingAddress);

/// <param name="Created">How many deal stages were created here.</param>
public sealed record CreatedStages(int Created);

/// <param name="DeliveryId">The delivery queued; it shows in the endpoint's delivery log.</param>
public sealed record QueuedDelivery(long DeliveryId);
