"""The marking queue's index: submissions by state, then trainee.

The queue counts and pages one tutor's trainees' plans in the waiting states. With an
index on state alone, SQLite walked every waiting plan in the academy (about 4,300 at
XL) for each; with (state, trainee_id) it looks up only the tutor's trainees (3.2 ms to
0.24 ms for the count). The new index serves every query the state index served, so that
one goes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 23:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_state_trainee_id', ['state', 'trainee_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_submissions_state'))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_state'), ['state'], unique=False)
        batch_op.drop_index('ix_submissions_state_trainee_id')
