'use strict';

(() => {
  const {el, svg, age, ageLabel, badge, phaseClass, formatNumber} = Sluice;
  const [namespace, name] = location.pathname.split('/').slice(2, 4).map(decodeURIComponent);
  const api = '/rollouts/' + encodeURIComponent(namespace) + '/' + encodeURIComponent(name);
  const $ = id => document.getElementById(id);

  const ACTIONS = {
    promote: {label: 'Promote', effect: 'It leaves the current pause and goes on to the next step.',
      blueGreen: 'The active Service switches to the preview\'s pods once they are all available.'},
    abort: {label: 'Abort', effect: 'Traffic goes back to the stable version, then the canary is scaled down.',
      blueGreen: 'The active and preview Services go back to the stable pods, then the preview is scaled down.'},
    retry: {label: 'Retry', effect: 'The aborted update starts its steps again.',
      blueGreen: 'The aborted update starts again with a new preview.'},
  };

  function effect(action) {
    return view !== null && view.blueGreen ? ACTIONS[action].blueGreen : ACTIONS[action].effect;
  }

  let view = null;
  let pendingAction = null;
  let sending = false;
  let toastTimer = null;

  document.title = name + ' · Sluice';
  $('crumb-namespace').textContent = namespace;
  $('crumb-name').textContent = name;

  Sluice.live('/api/live' + api.substring('/rollouts'.length), {
    rollout: next => {
      view = next;
      Sluice.banner(null);
      $('main').hidden = false;
      render();
    },
    gone: problem => {
      view = null;
      Sluice.banner(problem.error);
      $('main').hidden = true;
    },
    problem: problem => Sluice.banner(problem.error),
  });

  // ---- confirmation and actions ----

  for (const button of document.querySelectorAll('.actions button')) {
    button.addEventListener('click', () => ask(button.dataset.action));
  }

  function ask(action) {
    const {label} = ACTIONS[action];
    pendingAction = action;
    $('confirm-title').textContent = label + ' rollout "' + name + '"?';
    $('confirm-text').textContent = 'Namespace ' + namespace + '. ' + effect(action);
    $('confirm-ok').textContent = label;
    $('confirm-ok').className = action === 'abort' ? 'danger' : '';
    $('confirm').returnValue = '';
    $('confirm').showModal();
  }

  $('confirm').addEventListener('close', () => {
    const action = pendingAction;
    pendingAction = null;
    if ($('confirm').returnValue === 'ok' && action) send(action);
  });

  async function send(action) {
    sending = true;
    updateButtons();
    try {
      const response = await fetch('/api' + api + '/' + action, {
        method: 'POST',
        headers: {'X-Sluice-Dashboard': '1'},
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) toast(body.message || ACTIONS[action].label + ' sent', 'ok');
      else toast(body.error || 'the dashboard answered HTTP ' + response.status, 'error');
    } catch (error) {
      toast('cannot reach the dashboard server: ' + error.message, 'error');
    } finally {
      sending = false;
      updateButtons();
    }
  }

  function toast(message, kind) {
    const node = $('toast');
    node.textContent = message;
    node.dataset.kind = kind;
    node.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { node.hidden = true; }, kind === 'error' ? 15000 : 6000);
  }

  function updateButtons() {
    const enabled = {
      promote: view !== null && view.paused && !view.aborted,
      abort: view !== null && !view.aborted && view.phase !== 'Healthy',
      retry: view !== null && view.aborted,
    };
    const why = {
      promote: 'Only a paused rollout can be promoted',
      abort: 'Nothing to abort: no update in progress',
      retry: 'Only an aborted update can be retried',
    };
    for (const [action, on] of Object.entries(enabled)) {
      const button = $('action-' + action);
      button.disabled = sending || !on;
      button.title = on ? effect(action) : why[action];
    }
  }

  // ---- rendering ----

  function render() {
    renderSummary();
    renderSteps();
    renderWeights();
    renderReplicaSets();
    renderAnalysis();
    updateButtons();
  }

  function renderSummary() {
    const flags = [];
    if (view.aborted) flags.push(el('span', {class: 'flag flag-aborted', text: 'aborted'}));
    for (const reason of view.pauseReasons) flags.push(el('span', {class: 'flag', text: reason}));
    if (view.promotingFully) flags.push(el('span', {class: 'flag', text: 'promoting fully'}));
    if (view.stale) flags.push(el('span', {class: 'flag', text: 'controller has not seen the latest spec yet'}));
    const steps = view.steps.length;
    const stepText = steps === 0 ? 'no steps'
        : view.currentStepIndex === null ? 'step - of ' + steps
        : view.currentStepIndex >= steps ? 'all ' + steps + ' steps done'
        : 'step ' + (view.currentStepIndex + 1) + ' of ' + steps;
    const r = view.replicas;
    const phase = badge(view.phase, 'big');
    phase.id = 'phase';
    const bg = view.blueGreen;
    $('summary').replaceChildren(
        el('h1', null, el('span', {text: view.name}), ' ', phase, ' ', flags),
        el('p', {id: 'message', class: 'message', text: view.message || ''}),
        el('dl', {class: 'facts'},
            fact('Strategy', view.strategy || '-'),
            bg ? fact('Active', bg.active.hash || 'not pinned yet', 'summary-active')
                : fact('Step', stepText, 'step-counter'),
            bg && bg.preview ? fact('Preview', bg.preview.hash || 'not pinned yet', 'summary-preview') : null,
            fact('Replicas', r.desired + ' desired · ' + r.current + ' current · ' + r.updated + ' updated · '
                + r.ready + ' ready · ' + r.available + ' available')));
  }

  function fact(term, value, id) {
    return [el('dt', {text: term}), el('dd', {id: id, text: value})];
  }

  function renderSteps() {
    $('steps-title').textContent = view.blueGreen ? 'Promotion' : 'Steps';
    if (view.blueGreen) {
      renderPromotion();
      return;
    }
    const list = $('steps');
    const waiting = view.pauseReasons.length > 0;
    list.replaceChildren(...view.steps.map(step => {
      const current = step.state === 'current';
      const note = !current ? null
          : view.aborted ? 'aborted here'
          : waiting ? (view.pauseReasons.includes('CanaryPauseStep') ? 'waiting for promote' : 'paused')
          : 'in progress';
      return el('li', {class: 'step ' + step.state, 'data-index': step.index, 'aria-current': current ? 'step' : null},
          el('span', {class: 'dot', text: String(step.index + 1)}),
          el('span', {class: 'step-text', text: step.text}),
          note ? el('span', {class: 'step-note', text: note}) : null);
    }));
    $('steps-note').textContent = view.steps.length === 0 ? 'No steps: an update goes out at once.'
        : view.currentStepIndex !== null && view.currentStepIndex >= view.steps.length ? 'All steps done.' : '';
  }

  // blue-green: how the preview gets promoted, and the pre- and post-promotion analyses of this update
  function renderPromotion() {
    const bg = view.blueGreen;
    const waiting = view.pauseReasons.includes('BlueGreenPause');
    $('steps').replaceChildren(
        el('li', {class: 'promotion'}, el('dl', {class: 'facts promotion'},
            el('dt', {text: 'Promotion'}),
            el('dd', {id: 'promotion-mode', text: bg.promotion + (bg.promotion === 'manual' ? ' (press Promote)' : '')}),
            analysisFacts('Pre-promotion analysis', 'pre-promotion', bg.prePromotion),
            analysisFacts('Post-promotion analysis', 'post-promotion', bg.postPromotion))));
    $('steps-note').textContent = view.aborted ? 'Aborted: both Services are back on the stable pods.'
        : waiting ? 'The preview is ready: waiting for promote.' : '';
  }

  function analysisFacts(term, id, analysis) {
    if (!analysis) return [el('dt', {text: term}), el('dd', {id: id, class: 'muted', text: 'none'})];
    return [el('dt', {text: term}),
      el('dd', {id: id}, el('span', {text: analysis.templates.join(', ')}),
          analysis.run ? [el('code', {class: 'hash', text: analysis.run}), badge(analysis.phase)] : el('span', {class: 'muted', text: 'not started'}),
          analysis.message ? el('span', {class: 'message small', text: analysis.message}) : null)];
  }

  // blue-green: which pods each Service selects, and how many of them are ready
  function renderServices() {
    const bg = view.blueGreen;
    $('weights').replaceChildren(el('dl', {class: 'facts services'},
        serviceFacts('Active', 'active', bg.active),
        bg.preview ? serviceFacts('Preview', 'preview', bg.preview)
            : [el('dt', {text: 'Preview'}), el('dd', {id: 'preview', class: 'muted', text: 'no preview Service'})]));
  }

  function serviceFacts(term, id, target) {
    return [el('dt', null, el('span', {class: 'role role-' + id, text: term})),
      el('dd', {id: id},
          el('strong', {text: target.service}),
          target.hash ? ['→', el('code', {id: id + '-hash', class: 'hash', text: target.hash}),
            el('span', {id: id + '-pods', text: target.ready + '/' + target.desired + ' ready · ' + target.available + ' available'})]
              : el('span', {class: 'muted', text: 'not pinned yet'}))];
  }

  function renderWeights() {
    $('traffic-title').textContent = view.blueGreen ? 'Services' : 'Traffic';
    if (view.blueGreen) {
      renderServices();
      return;
    }
    const w = view.weights;
    if (w.canary === null && w.stable === null) {
      $('weights').replaceChildren(el('p', {class: 'muted', text: 'No weights reported yet.'}));
      return;
    }
    const canary = w.canary === null ? 0 : w.canary;
    const stable = w.stable === null ? 100 - canary : w.stable;
    const canaryBar = el('div', {class: 'bar-canary', title: 'canary ' + canary + '%'});
    const stableBar = el('div', {class: 'bar-stable', title: 'stable ' + stable + '%'});
    canaryBar.style.width = canary + '%';
    stableBar.style.width = stable + '%';
    $('weights').replaceChildren(
        el('div', {class: 'weight-bar', role: 'img', 'aria-label': 'canary ' + canary + '%, stable ' + stable + '%'},
            canaryBar, stableBar),
        el('dl', {class: 'facts weights'},
            el('dt', null, el('span', {class: 'swatch swatch-canary'}), 'Canary'),
            el('dd', null, el('strong', {id: 'weight-canary', text: canary + '%'}), hash(w.canaryHash)),
            el('dt', null, el('span', {class: 'swatch swatch-stable'}), 'Stable'),
            el('dd', null, el('strong', {id: 'weight-stable', text: stable + '%'}), hash(w.stableHash)),
            el('dt', {text: 'Set weight'}),
            el('dd', {id: 'set-weight', text: w.setWeight === null ? '-' : w.setWeight + '%'})));
  }

  function hash(value) {
    return value ? el('code', {class: 'hash', text: value}) : null;
  }

  function renderReplicaSets() {
    if (view.replicaSets.length === 0) {
      $('replicasets').replaceChildren(el('p', {class: 'muted', text: 'No ReplicaSets yet.'}));
      return;
    }
    $('replicasets').replaceChildren(...view.replicaSets.map(rs => {
      const scaledDown = rs.desired === 0 && rs.current === 0;
      return el('div', {class: 'replicaset ' + rs.roles.map(role => 'role-' + role).join(' ') + (scaledDown ? ' scaled-down' : ''),
          'data-hash': rs.hash},
          el('div', {class: 'rs-head'},
              rs.roles.map(role => el('span', {class: 'role role-' + role, text: role})),
              el('strong', {text: rs.name}),
              el('span', {class: 'muted', text: 'revision ' + (rs.revision === null ? '?' : rs.revision)}),
              el('span', {class: 'rs-pods', text: scaledDown ? 'scaled down'
                  : rs.ready + '/' + rs.desired + ' ready · ' + rs.available + ' available'}),
              ageLabel(rs.created)),
          el('div', {class: 'images'}, rs.images.map(image => el('code', {text: image}))),
          rs.pods.length === 0 ? null : el('ul', {class: 'pods'}, rs.pods.map(pod =>
              el('li', {class: 'pod ' + (pod.ready ? 'ready' : 'not-ready'),
                  title: pod.name + ': ' + pod.status + (pod.ready ? ', ready' : ', not ready')
                      + (pod.restarts ? ', ' + pod.restarts + ' restarts' : '') + ', age ' + age(pod.created)},
                  el('span', {class: 'pod-name', text: pod.name}),
                  el('span', {class: 'pod-status', text: pod.status + (pod.restarts ? ' ↻' + pod.restarts : '')})))));
    }));
  }

  function renderAnalysis() {
    if (view.analysisRuns.length === 0) {
      $('analysis').replaceChildren(el('p', {class: 'muted', text: 'No AnalysisRuns for this rollout.'}));
      return;
    }
    $('analysis').replaceChildren(...view.analysisRuns.map(run => el('div', {class: 'run', 'data-run': run.name},
        el('div', {class: 'run-head'},
            el('strong', {text: run.name}), badge(run.phase), ageLabel(run.created)),
        run.message ? el('p', {class: 'message', text: run.message}) : null,
        el('div', {class: 'metrics'}, run.metrics.map(metric)))));
  }

  function metric(m) {
    const last = m.measurements.length ? m.measurements[m.measurements.length - 1] : null;
    const counts = [m.count + ' measured'];
    if (m.successful) counts.push(m.successful + ' successful');
    if (m.failed) counts.push(m.failed + ' failed');
    if (m.inconclusive) counts.push(m.inconclusive + ' inconclusive');
    if (m.error) counts.push(m.error + ' errors');
    const numeric = m.measurements.filter(x => typeof x.number === 'number');
    const texts = m.measurements.filter(x => typeof x.number !== 'number' && x.value !== null).slice(-4);
    return el('div', {class: 'metric', 'data-metric': m.name},
        el('div', {class: 'metric-head'},
            el('strong', {text: m.name + (m.dryRun ? ' (dry run)' : '')}), badge(m.phase),
            last ? el('span', {class: 'last-value', text: 'last ' + (typeof last.number === 'number' ? formatNumber(last.number) : last.value)}) : null),
        el('div', {class: 'muted small', text: counts.join(', ')}),
        numeric.length ? chart(m.name, numeric) : null,
        texts.length ? el('ul', {class: 'values'}, texts.map(x => el('li', {class: phaseClass(x.phase)},
            el('code', {text: x.value}), x.message ? ' ' + x.message : ''))) : null,
        m.message ? el('p', {class: 'message small', text: m.message}) : null);
  }

  /** A small line chart of a metric's numeric measurements, oldest to newest, dots coloured by phase. */
  function chart(metricName, points) {
    const width = 300, height = 90, left = 44, right = 8, top = 8, bottom = 8;
    const values = points.map(p => p.number);
    let min = Math.min(...values), max = Math.max(...values);
    if (min === max) {
      const pad = Math.abs(min) * 0.1 || 1;
      min -= pad;
      max += pad;
    }
    const x = i => points.length === 1 ? (left + width - right) / 2 : left + i * (width - left - right) / (points.length - 1);
    const y = v => top + (height - top - bottom) * (1 - (v - min) / (max - min));
    const lastValue = formatNumber(values[values.length - 1]);
    return svg('svg', {class: 'chart', viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img',
        'aria-label': metricName + ': ' + points.length + ' measurements, last ' + lastValue},
        svg('line', {class: 'axis', x1: left, x2: width - right, y1: top, y2: top}),
        svg('line', {class: 'axis', x1: left, x2: width - right, y1: height - bottom, y2: height - bottom}),
        svg('text', {class: 'tick', x: left - 6, y: top + 4, 'text-anchor': 'end', text: formatNumber(max)}),
        svg('text', {class: 'tick', x: left - 6, y: height - bottom + 4, 'text-anchor': 'end', text: formatNumber(min)}),
        svg('polyline', {class: 'line', points: points.map((p, i) => x(i) + ',' + y(p.number)).join(' ')}),
        points.map((p, i) => svg('circle', {class: 'point ' + phaseClass(p.phase), cx: x(i), cy: y(p.number), r: 3.5},
            svg('title', {text: formatNumber(p.number) + ' · ' + (p.phase || '?') + (p.finishedAt ? ' · ' + p.finishedAt : '')
                + (p.message ? ' · ' + p.message : '')}))));
  }
})();
