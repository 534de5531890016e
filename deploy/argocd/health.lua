-- Argo CD health check for sluice.dev Rollouts, with the verdicts Argo CD's built-in check gives
-- Argo Rollouts: Progressing until the controller has seen the current spec, then the controller's
-- own phase (Paused shown as Suspended); conditions decide only when there is no phase yet.
-- Argo CD sets the global `obj` to the Rollout and reads the returned table's status and message.

local function progressing(message)
  return { status = "Progressing", message = message }
end

-- Whether status describes metadata.generation (Argo CD's check waits for the same thing).
local function specObserved(o)
  if o.status == nil then
    return false
  end
  local observed = tonumber(o.status.observedGeneration)
  return observed ~= nil and observed == tonumber(o.metadata.generation)
end

local phases = { Healthy = "Healthy", Progressing = "Progressing", Paused = "Suspended", Degraded = "Degraded" }

-- Without a phase: a refusal or a stop recorded in conditions, else a pause, else still going.
local function fromConditions(o)
  for _, c in ipairs(o.status.conditions or {}) do
    if c.type == "InvalidSpec" and c.status == "True" then
      return { status = "Degraded", message = c.message }
    end
    if c.type == "Progressing" and (c.reason == "RolloutAborted" or c.reason == "ProgressDeadlineExceeded") then
      return { status = "Degraded", message = c.message }
    end
  end
  local pauses = o.status.pauseConditions
  if (pauses ~= nil and #pauses > 0) or o.spec.paused == true then
    return { status = "Suspended", message = "Rollout is paused" }
  end
  return progressing("Waiting for the rollout to finish")
end

if not specObserved(obj) then
  return progressing("Waiting for rollout spec update to be observed")
end
local phase = obj.status.phase
if phase == nil then
  return fromConditions(obj)
end
if phases[phase] == nil then
  return { status = "Unknown", message = "unknown phase " .. tostring(phase) }
end
return { status = phases[phase], message = obj.status.message }
