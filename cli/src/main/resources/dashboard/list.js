'use strict';

(() => {
  const {el, badge, rolloutPath} = Sluice;
  const main = document.getElementById('main');

  Sluice.live('/api/live', {
    rollouts: view => {
      Sluice.banner(null);
      render(view);
    },
    problem: problem => Sluice.banner(problem.error),
  });

  function render(view) {
    document.getElementById('scope').textContent =
        view.namespace ? '· namespace ' + view.namespace : '· all namespaces';
    if (view.namespaces.length === 0) {
      main.replaceChildren(el('section', {class: 'card empty'},
          el('p', {text: 'No rollouts ' + (view.namespace ? 'in namespace ' + view.namespace : 'in any namespace') + ' yet.'})));
      return;
    }
    main.replaceChildren(...view.namespaces.map(namespace => el('section', {class: 'card', 'data-namespace': namespace.name},
        el('h2', {class: 'namespace', text: namespace.name}),
        el('table', {class: 'rollouts'},
            el('thead', null, el('tr', null, ['Rollout', 'Status', 'Step', 'Canary weight', 'Ready', 'Message']
                .map(title => el('th', {text: title})))),
            el('tbody', null, namespace.rollouts.map(rollout => row(namespace.name, rollout)))))));
  }

  function row(namespace, rollout) {
    const flags = [];
    if (rollout.aborted) flags.push(el('span', {class: 'flag flag-aborted', text: 'aborted'}));
    if (rollout.paused) flags.push(el('span', {class: 'flag', text: 'paused'}));
    return el('tr', {'data-rollout': rollout.name},
        el('td', null, el('a', {href: rolloutPath(namespace, rollout.name), text: rollout.name})),
        el('td', null, badge(rollout.phase), flags),
        el('td', {text: rollout.step || '-'}),
        el('td', {text: rollout.canaryWeight === null ? '-' : rollout.canaryWeight + '%'}),
        el('td', {text: rollout.readyReplicas + '/' + rollout.desiredReplicas}),
        el('td', {class: 'message', text: rollout.message || ''}));
  }
})();
